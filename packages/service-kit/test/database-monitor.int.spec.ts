import { isolation } from '@s3p/testkit';
import { MongoClient } from 'mongodb';
import { reconnectWhenMonitorStalls } from '../src';

const names = isolation('service-kit-monitor');
const heartbeat = (address: string) => ({ connectionId: address }) as never;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let client: MongoClient;

beforeEach(async () => {
  client = await MongoClient.connect(names.mongoUri);
});

afterEach(async () => {
  await client.db().dropDatabase();
  await client.close();
});

test('a heartbeat left without an outcome gets the client connected anew; its collections go on working', async () => {
  const things = client.db().collection<{ n: number }>('things');
  await things.insertOne({ n: 1 });
  const logged: string[] = [];
  const watch = reconnectWhenMonitorStalls(
    client,
    { error: (_fields, msg) => logged.push(msg) },
    { stalledAfterMs: 300, checkEveryMs: 50 },
  );
  try {
    // What a stalled monitor leaves behind: a heartbeat started that neither succeeds nor fails.
    client.emit('serverHeartbeatStarted', heartbeat('stalled.example:27017'));
    await until(() => watch.reconnections === 1, 'the client connected anew');
    expect(logged).toEqual(['the database monitor stalled: connecting the client anew']);
    await things.insertOne({ n: 2 });
    expect(await things.countDocuments()).toBe(2);
  } finally {
    await watch.stop();
  }
});

test('heartbeats that end, in success or failure, leave the client alone', async () => {
  const logged: string[] = [];
  const watch = reconnectWhenMonitorStalls(
    client,
    { error: (_fields, msg) => logged.push(msg) },
    { stalledAfterMs: 300, checkEveryMs: 50 },
  );
  try {
    client.emit('serverHeartbeatStarted', heartbeat('a.example:27017'));
    client.emit('serverHeartbeatSucceeded', heartbeat('a.example:27017'));
    client.emit('serverHeartbeatStarted', heartbeat('b.example:27017'));
    client.emit('serverHeartbeatFailed', heartbeat('b.example:27017'));
    await new Promise((r) => setTimeout(r, 600));
    expect(watch.reconnections).toBe(0);
    expect(logged).toEqual([]);
  } finally {
    await watch.stop();
  }
});
