import { spawn } from 'node:child_process';
import { isolation, stackEndpoints } from '@s3p/testkit';
import type { Kafka } from 'kafkajs';
import { KafkaJSNonRetriableError } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createKafka, ensureTopics, EventConsumer, EventPublisher, ProcessedEvents } from '../src';
import { callClosed } from './call-events';

const { KAFKA_BROKERS } = stackEndpoints();
const { topicPrefix, mongoUri } = isolation('consumer-join');
const topic = `${topicPrefix}calls.events`;
const groupId = `${topicPrefix}group`;
/** The dead member's session: the group waits this long before it takes a new member in. */
const deadSessionMs = 12_000;

let kafka: Kafka;
let mongo: MongoClient;

beforeAll(async () => {
  kafka = createKafka({ brokers: KAFKA_BROKERS.split(','), clientId: 'consumer-join-test' });
  mongo = await MongoClient.connect(mongoUri);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topic]);
  await admin.disconnect();
});

afterAll(async () => {
  await mongo.db().dropDatabase();
  await mongo.close();
});

/** A member of the group in a process of its own, killed with SIGKILL once the group took it in. */
async function memberKilledInGroup(): Promise<void> {
  const script = `
    const { Kafka, logLevel } = require('kafkajs');
    const kafka = new Kafka({ brokers: ${JSON.stringify(KAFKA_BROKERS.split(','))}, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: ${JSON.stringify(groupId)}, sessionTimeout: ${deadSessionMs} });
    consumer.on(consumer.events.GROUP_JOIN, () => console.log('joined'));
    consumer.connect()
      .then(() => consumer.subscribe({ topics: [${JSON.stringify(topic)}] }))
      .then(() => consumer.run({ eachMessage: async () => new Promise(() => {}) }));`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: __dirname,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('joined')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the member exited with ${code} before joining`)));
  });
  child.kill('SIGKILL');
}

test("a consumer's start waits a bounded time for a group still holding a member that died in it", async () => {
  await memberKilledInGroup();
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const events = [callClosed('c1'), callClosed('c2'), callClosed('c3')];
  await publisher.publish(topic, events);
  await publisher.disconnect();

  const handled: string[] = [];
  const consumer = new EventConsumer(kafka, {
    groupId,
    topics: [topic],
    processed: new ProcessedEvents(mongo.db().collection('processed_events')),
    handle: async (event) => {
      handled.push(event.id);
    },
    joinWaitMs: 1_000,
  });
  const began = performance.now();
  await consumer.start();
  const started = performance.now() - began;
  try {
    // The group takes the new member in only once the dead one's session has ended; the start
    // did not wait for that, and the member joins afterwards.
    expect(started).toBeLessThan(deadSessionMs / 2);
    await consumer.whenJoined();
    const deadline = Date.now() + 30_000;
    while (handled.length < events.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(handled.sort()).toEqual(events.map((e) => e.id).sort());
  } finally {
    await consumer.stop();
  }
}, 60_000);

/** Processed-event marks whose first lookup fails with an error kafkajs deems final. */
class FailingOnce extends ProcessedEvents {
  failed = false;

  override async has(groupId: string, eventId: string): Promise<boolean> {
    if (!this.failed) {
      this.failed = true;
      throw new KafkaJSNonRetriableError('the coordinator went away for good');
    }
    return super.has(groupId, eventId);
  }
}

test('a consumer kafkajs gives up on after a crash runs again and handles every message', async () => {
  const crashTopic = `${topicPrefix}crash.events`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [crashTopic]);
  await admin.disconnect();
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const events = [callClosed('c4'), callClosed('c5')];
  await publisher.publish(crashTopic, events);
  await publisher.disconnect();

  const handled: string[] = [];
  const logged: string[] = [];
  const processed = new FailingOnce(mongo.db().collection('processed_events'));
  const consumer = new EventConsumer(kafka, {
    groupId: `${topicPrefix}crash-group`,
    topics: [crashTopic],
    processed,
    handle: async (event) => {
      handled.push(event.id);
    },
    log: (entry) => logged.push(String(entry.msg)),
  });
  await consumer.start();
  try {
    const deadline = Date.now() + 40_000;
    while (handled.length < events.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(processed.failed).toBe(true);
    expect(logged).toContain('the consumer crashed and kafkajs does not restart it: it runs again in 5 s');
    expect(handled.sort()).toEqual(events.map((e) => e.id).sort());
  } finally {
    await consumer.stop();
  }
}, 60_000);
