import { exitOnSignal, loadConfig, startTracing, traceLogFields, tracesShutdown } from '@s3p/service-kit';
import type { LogLevel } from '@temporalio/worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { callsConfig } from './config';
import { startCallsService } from './service';

export type { CallsConfig } from './config';
export { callsConfig } from './config';
export type { CallsService } from './service';
export { startCallsService } from './service';

const pinoLevels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

async function main(): Promise<void> {
  const config = loadConfig(callsConfig);
  const tracing = startTracing({ serviceName: 'calls' });
  const logger = pino({ name: 'calls', level: config.LOG_LEVEL, mixin: traceLogFields });
  // The Temporal SDK logs through the service's logger, once per process.
  const temporalLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
      temporalLogger[pinoLevels[level]](meta ?? {}, message),
    ),
  });
  try {
    const service = await startCallsService(config, logger, tracing);
    exitOnSignal(logger, undefined, [['calls service', service.stop], ...tracesShutdown(tracing)]);
  } catch (error) {
    logger.fatal({ err: error }, 'the calls service could not start');
    process.exit(1);
  }
}

if (require.main === module) void main();
