import { exitOnSignal, loadConfig, startTracing, traceLogFields, tracesShutdown } from '@s3p/service-kit';
import type { LogLevel } from '@temporalio/worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { lifecycleConfig } from './config';
import { startLifecycleService } from './service';

export type { LifecycleConfig } from './config';
export { lifecycleConfig } from './config';
export type { LifecycleService } from './service';
export { startLifecycleService } from './service';

const pinoLevels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

async function main(): Promise<void> {
  const config = loadConfig(lifecycleConfig);
  const tracing = startTracing({ serviceName: 'lifecycle' });
  const logger = pino({ name: 'lifecycle', level: config.LOG_LEVEL, mixin: traceLogFields });
  // The Temporal SDK logs through the service's logger, once per process.
  const temporalLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
      temporalLogger[pinoLevels[level]](meta ?? {}, message),
    ),
  });
  try {
    const service = await startLifecycleService(config, logger, tracing);
    exitOnSignal(logger, undefined, [['lifecycle service', service.stop], ...tracesShutdown(tracing)]);
  } catch (error) {
    logger.fatal({ err: error }, 'the lifecycle service could not start');
    process.exit(1);
  }
}

if (require.main === module) void main();
