import { isolation } from '@s3p/testkit';
import { MongoNetworkTimeoutError } from 'mongodb';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { connectDatabase, shutDown, type ShutdownStep } from '../src';

const names = isolation('service-kit-database');
const quiet = { error: () => undefined };
const silentLogger = { info: () => undefined, error: () => undefined, warn: () => undefined } as never;

/**
 * A TCP path to the database that can go silent: bytes are then neither passed nor refused, and
 * no connection is closed, as when a firewall or a dead link drops packets.
 */
class SilenceablePath {
  silent = false;
  private readonly sockets = new Set<Socket>();
  private constructor(readonly server: Server) {}

  static async to(host: string, port: number): Promise<SilenceablePath> {
    const path = new SilenceablePath(createServer());
    path.server.on('connection', (client) => {
      const database = connect(port, host);
      for (const socket of [client, database]) {
        path.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => path.sockets.delete(socket));
      }
      client.on('data', (chunk) => path.silent || database.write(chunk));
      database.on('data', (chunk) => path.silent || client.write(chunk));
      client.on('close', () => database.destroy());
      database.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => path.server.listen(0, '127.0.0.1', resolve));
    return path;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let path: SilenceablePath;
let steps: ShutdownStep[];

beforeEach(async () => {
  const database = new URL(names.mongoUri);
  path = await SilenceablePath.to(database.hostname, Number(database.port));
  steps = [];
});

afterEach(async () => {
  await shutDown(silentLogger, undefined, steps);
  await path.close();
});

function throughPath(): string {
  const uri = new URL(names.mongoUri);
  uri.port = String(path.port);
  return uri.toString();
}

test('a write the database never answers fails as a network time-out after MONGODB_SOCKET_TIMEOUT_MS', async () => {
  const db = await connectDatabase(
    { MONGODB_URI: throughPath(), MONGODB_SOCKET_TIMEOUT_MS: 500, MONGODB_CONNECT_TIMEOUT_MS: 1_000 },
    quiet,
    (step) => steps.unshift(step),
  );
  const things = db.collection<{ _id: string }>('things');
  await things.insertOne({ _id: 'answered' });

  path.silent = true;
  const started = Date.now();
  const failure = await things.insertOne({ _id: 'unanswered' }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(MongoNetworkTimeoutError);
  // A write is not retried on a standalone server: one socket time-out. (A read is retried once,
  // on a new connection: socket, connect and socket time-outs; its server selection's timer
  // then outlives it by 30 s, which would hold jest open.)
  expect(Date.now() - started).toBeLessThan(2_000);

  // The path answers again: the next operation gets a fresh connection and its answer.
  path.silent = false;
  expect(await things.findOne({ _id: 'answered' })).toEqual({ _id: 'answered' });
  await db.dropDatabase();
});

test('the database is the one the URI names, and the steps that stop it are registered in order', async () => {
  const db = await connectDatabase(
    { MONGODB_URI: names.mongoUri, MONGODB_SOCKET_TIMEOUT_MS: 30_000, MONGODB_CONNECT_TIMEOUT_MS: 10_000 },
    quiet,
    (step) => steps.unshift(step),
  );
  expect(db.databaseName).toBe(new URL(names.mongoUri).pathname.slice(1));
  expect(steps.map(([name]) => name)).toEqual(['mongodb monitor watch', 'mongodb']);
  await db.dropDatabase();
});
