import { exitOnSignal, loadConfig, startTracing, traceLogFields, tracesShutdown } from '@s3p/service-kit';
import type { LogLevel } from '@temporalio/worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { expertsConfig } from './config';
import { startExpertsService } from './service';

export type { ExpertsConfig } from './config';
export { expertsConfig } from './config';
export type { ExpertsService } from './service';
export { startExpertsService } from './service';

const pinoLevels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

async function main(): Promise<void> {
  const config = loadConfig(expertsConfig);
  const tracing = startTracing({ serviceName: 'experts' });
  const logger = pino({ name: 'experts', level: config.LOG_LEVEL, mixin: traceLogFields });
  // The Temporal SDK logs through the service's logger, once per process.
  const temporalLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
      temporalLogger[pinoLevels[level]](meta ?? {}, message),
    ),
  });
  try {
    const service = await startExpertsService(config, logger, tracing);
    exitOnSignal(logger, undefined, [['experts service', service.stop], ...tracesShutdown(tracing)]);
  } catch (error) {
    logger.fatal({ err: error }, 'the experts service could not start');
    process.exit(1);
  }
}

if (require.main === module) void main();
