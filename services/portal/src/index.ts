import { exitOnSignal, loadConfig, startTracing, traceLogFields, tracesShutdown } from '@s3p/service-kit';
import pino from 'pino';
import { portalConfig } from './config';
import { startPortalService } from './service';

export type { PortalConfig } from './config';
export { portalConfig } from './config';
export type { PortalService } from './service';
export { startPortalService } from './service';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(portalConfig);
  } catch (error) {
    console.error(`portal: ${(error as Error).message}`);
    process.exit(1);
  }
  const tracing = startTracing({ serviceName: 'portal' });
  const logger = pino({ name: 'portal', level: config.LOG_LEVEL, mixin: traceLogFields });
  try {
    const portal = await startPortalService(config, logger);
    exitOnSignal(logger, undefined, [['portal', portal.stop], ...tracesShutdown(tracing)]);
    console.log(`Portal: ${portal.url}`);
  } catch (error) {
    logger.fatal({ err: error }, 'the portal could not start');
    process.exit(1);
  }
}

if (require.main === module) void main();
