import type { MongoClient } from 'mongodb';

export interface MonitorWatch {
  /** How many times the client was connected anew. */
  readonly reconnections: number;
  /** A shutdown step's action: the watch ends before the client closes. */
  stop(): Promise<void>;
}

/** Where a stall is reported: a service's pino logger, or anything with its `error`. */
export interface MonitorWatchLogger {
  error(fields: { address: string; stalledMs?: number; err?: unknown }, msg: string): void;
}

export interface MonitorWatchOptions {
  /** A heartbeat without an outcome for this long has stalled (its own time-out is connectTimeoutMS, 30 s). */
  stalledAfterMs?: number;
  checkEveryMs?: number;
}

/**
 * Connects the client anew when its server monitor stalls. Seen in the chaos run and reproduced
 * through Toxiproxy with driver 6.20: a connection cut while a heartbeat is under way leaves that
 * heartbeat without an outcome, the monitor waits on it for ever, the server stays `Unknown`, and
 * every operation fails server selection until the process restarts. Closing and connecting the
 * same client starts a new monitor; its collections, and mongoose's models, go on working.
 */
export function reconnectWhenMonitorStalls(
  client: MongoClient,
  logger: MonitorWatchLogger,
  options: MonitorWatchOptions = {},
): MonitorWatch {
  const stalledAfterMs = options.stalledAfterMs ?? 45_000;
  const started = new Map<string, number>();
  let reconnections = 0;
  let reconnecting = false;

  // The heartbeat events name the server's address `connectionId`.
  const onStarted = ({ connectionId: address }: { connectionId: string }) => {
    if (!started.has(address)) started.set(address, Date.now());
  };
  const onEnded = ({ connectionId: address }: { connectionId: string }) => started.delete(address);
  client.on('serverHeartbeatStarted', onStarted);
  client.on('serverHeartbeatSucceeded', onEnded);
  client.on('serverHeartbeatFailed', onEnded);

  async function reconnect(address: string, stalledMs: number): Promise<void> {
    reconnecting = true;
    logger.error({ address, stalledMs }, 'the database monitor stalled: connecting the client anew');
    try {
      await client.close(true);
      started.clear();
      await client.connect();
      reconnections += 1;
    } catch (err) {
      // The next check tries again if the monitor is still silent.
      logger.error({ address, err }, 'connecting the client anew failed');
    } finally {
      reconnecting = false;
    }
  }

  const timer = setInterval(() => {
    if (reconnecting) return;
    const now = Date.now();
    for (const [address, since] of started) {
      if (now - since > stalledAfterMs) {
        void reconnect(address, now - since);
        return;
      }
    }
  }, options.checkEveryMs ?? 5_000);
  timer.unref();

  return {
    get reconnections() {
      return reconnections;
    },
    async stop() {
      clearInterval(timer);
      client.off('serverHeartbeatStarted', onStarted);
      client.off('serverHeartbeatSucceeded', onEnded);
      client.off('serverHeartbeatFailed', onEnded);
    },
  };
}
