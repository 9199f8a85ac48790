import { isolation, stackEndpoints } from '@s3p/testkit';
import type { Admin, Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createKafka, ensureTopics, EventConsumer, EventPublisher, ProcessedEvents } from '../src';
import { callClosed } from './call-events';

const { KAFKA_BROKERS } = stackEndpoints();
const { topicPrefix, mongoUri } = isolation('consumer-commits');
const topic = `${topicPrefix}calls.events`;
const groupId = `${topicPrefix}group`;

let kafka: Kafka;
let admin: Admin;
let mongo: MongoClient;

beforeAll(async () => {
  kafka = createKafka({ brokers: KAFKA_BROKERS.split(','), clientId: 'consumer-commits-test' });
  mongo = await MongoClient.connect(mongoUri);
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topic]);
});

afterAll(async () => {
  await admin.disconnect();
  await mongo.db().dropDatabase();
  await mongo.close();
});

/** One call's events: one key, so one partition, read in one batch. */
const callEvents = (callId: string, count: number) => Array.from({ length: count }, () => callClosed(callId));

async function committed(): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Math.max(...(offsets?.partitions ?? []).map(({ offset }) => Number(offset)));
}

test('a long batch commits what it handled as it goes, not only at its end', async () => {
  const events = callEvents('c-long', 40);
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  await publisher.publish(topic, events);
  await publisher.disconnect();

  const handled: string[] = [];
  let committedMidway: number | undefined;
  const consumer = new EventConsumer(kafka, {
    groupId,
    topics: [topic],
    processed: new ProcessedEvents(mongo.db().collection('processed_events')),
    commitAfterMessages: 5,
    commitIntervalMs: 600_000,
    handle: async (event) => {
      handled.push(event.id);
      if (handled.length === 30) committedMidway = await committed();
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
  });
  await consumer.start();
  try {
    const deadline = Date.now() + 30_000;
    while ((handled.length < events.length || (await committed()) < events.length) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(handled).toEqual(events.map((e) => e.id));
    // Thirty messages into one batch of forty, at least the first twenty-five are committed.
    expect(committedMidway).toBeGreaterThanOrEqual(25);
    expect(await committed()).toBe(events.length);
  } finally {
    await consumer.stop();
  }
}, 60_000);
