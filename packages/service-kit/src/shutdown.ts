import type { Server } from 'node:http';
import type { Logger } from 'pino';

/** Something to stop in order after the HTTP server: consumers (commit offsets), relays, connections. */
export type ShutdownStep = [name: string, stop: () => Promise<void>];

/** Stops accepting connections and resolves when the requests in flight have been answered. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections with no request in flight would otherwise hold the close open.
    server.closeIdleConnections();
  });
}

/**
 * Runs the steps in order: the server first (no new work, in-flight requests finish), then each
 * step. A step that fails is logged and the others still run; what cannot finish in `timeoutMs`
 * is abandoned, because an orchestrator's SIGKILL would come anyway.
 */
export async function shutDown(
  logger: Logger,
  server: Server | undefined,
  steps: ShutdownStep[],
  timeoutMs = 25_000,
): Promise<boolean> {
  const all: ShutdownStep[] = [
    ...(server ? [['http server', () => closeServer(server)] as ShutdownStep] : []),
    ...steps,
  ];
  let clean = true;
  const work = (async () => {
    for (const [name, stop] of all) {
      try {
        await stop();
        logger.info({ step: name }, 'stopped');
      } catch (error) {
        clean = false;
        logger.error({ err: error, step: name }, 'failed to stop cleanly');
      }
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([work.then(() => 'done' as const), timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    logger.error({ timeoutMs }, 'shutdown did not finish in time');
    return false;
  }
  return clean;
}

/** On SIGTERM or SIGINT, shuts down once and exits (0 when every step stopped cleanly). */
export function exitOnSignal(logger: Logger, server: Server | undefined, steps: ShutdownStep[]): void {
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    logger.info({ signal }, 'shutting down');
    void shutDown(logger, server, steps).then((clean) => process.exit(clean ? 0 : 1));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
