import type { Db } from 'mongodb';
import mongoose from 'mongoose';
import { reconnectWhenMonitorStalls, type MonitorWatchLogger } from './database-monitor';
import type { ShutdownStep } from './shutdown';

export interface DatabaseSettings {
  MONGODB_URI: string;
  /** 0 waits for ever, as the driver does unless told otherwise. */
  MONGODB_SOCKET_TIMEOUT_MS: number;
  /** 0 waits for ever; the driver's default is 30 s. */
  MONGODB_CONNECT_TIMEOUT_MS: number;
}

/**
 * Connects a service to its database and registers what stops it (the monitor watch before the
 * connection). An operation whose answer does not come within `MONGODB_SOCKET_TIMEOUT_MS` fails
 * with a network time-out, which answers 503 and is retried like any outage: the driver's default
 * waits for ever, so a path that drops packets without a reset left the request or the message
 * behind it hanging, and a consumer's partition with it. A read the driver retries opens a new
 * connection first, so the longest wait for an unanswered read is the socket time-out, the
 * connect time-out and the socket time-out again.
 */
export async function connectDatabase(
  settings: DatabaseSettings,
  logger: MonitorWatchLogger,
  stopFirst: (step: ShutdownStep) => void,
): Promise<Db> {
  const connection = await mongoose
    .createConnection(settings.MONGODB_URI, {
      socketTimeoutMS: settings.MONGODB_SOCKET_TIMEOUT_MS,
      connectTimeoutMS: settings.MONGODB_CONNECT_TIMEOUT_MS,
    })
    .asPromise();
  stopFirst(['mongodb', () => connection.close()]);
  stopFirst(['mongodb monitor watch', reconnectWhenMonitorStalls(connection.getClient(), logger).stop]);
  return connection.getClient().db(connection.name);
}
