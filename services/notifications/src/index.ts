import { exitOnSignal, loadConfig, startTracing, traceLogFields, tracesShutdown } from '@s3p/service-kit';
import pino from 'pino';
import { notificationsConfig } from './config';
import { startNotificationsService } from './service';

export type { NotificationsConfig } from './config';
export { notificationsConfig } from './config';
export type { NotificationsService } from './service';
export { startNotificationsService } from './service';

async function main(): Promise<void> {
  const config = loadConfig(notificationsConfig);
  const tracing = startTracing({ serviceName: 'notifications' });
  const logger = pino({ name: 'notifications', level: config.LOG_LEVEL, mixin: traceLogFields });
  try {
    const service = await startNotificationsService(config, logger);
    exitOnSignal(logger, undefined, [['notifications service', service.stop], ...tracesShutdown(tracing)]);
  } catch (error) {
    logger.fatal({ err: error }, 'the notifications service could not start');
    process.exit(1);
  }
}

if (require.main === module) void main();
