import { exitOnSignal, loadConfig, startTracing, traceLogFields, tracesShutdown } from '@s3p/service-kit';
import pino from 'pino';
import { applicationsConfig } from './config';
import { startApplicationsService } from './service';

export type { ApplicationsConfig } from './config';
export { applicationsConfig, applicationsTopic, callsTopic, consumerGroup, lifecycleTopic } from './config';
export type { ApplicationsService } from './service';
export { startApplicationsService } from './service';

async function main(): Promise<void> {
  const config = loadConfig(applicationsConfig);
  const tracing = startTracing({ serviceName: 'applications' });
  const logger = pino({ name: 'applications', level: config.LOG_LEVEL, mixin: traceLogFields });
  try {
    const service = await startApplicationsService(config, logger);
    exitOnSignal(logger, undefined, [['applications service', service.stop], ...tracesShutdown(tracing)]);
  } catch (error) {
    logger.fatal({ err: error }, 'the applications service could not start');
    process.exit(1);
  }
}

if (require.main === module) void main();
