import { exitOnSignal, loadConfig, startTracing, traceLogFields, tracesShutdown } from '@s3p/service-kit';
import pino from 'pino';
import { reportingConfig } from './config';
import { startReportingService } from './service';

export type { ReportingConfig } from './config';
export { reportingConfig } from './config';
export type { ReportingService } from './service';
export { startReportingService } from './service';

async function main(): Promise<void> {
  const config = loadConfig(reportingConfig);
  const tracing = startTracing({ serviceName: 'reporting' });
  const logger = pino({ name: 'reporting', level: config.LOG_LEVEL, mixin: traceLogFields });
  try {
    const service = await startReportingService(config, logger);
    exitOnSignal(logger, undefined, [['reporting service', service.stop], ...tracesShutdown(tracing)]);
  } catch (error) {
    logger.fatal({ err: error }, 'the reporting service could not start');
    process.exit(1);
  }
}

if (require.main === module) void main();
