import { isolation, stackEndpoints } from '@s3p/testkit';
import type { Admin, Kafka } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Collection, Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import type { OutboxDocument } from '../src';
import {
  consumerLag,
  createKafka,
  deadLetterDepth,
  ensureTopics,
  EventConsumer,
  EventPublisher,
  outboxBacklog,
  OutboxRelay,
  ProcessedEvents,
  pushToOutbox,
} from '../src';
import { callClosed } from './call-events';

const { KAFKA_BROKERS } = stackEndpoints();
const { topicPrefix, mongoUri, id } = isolation('kafka-measures');
const topic = `${topicPrefix}calls.events`;
const groupId = `${topicPrefix}measured`;

let kafka: Kafka;
let admin: Admin;
let mongo: MongoClient;
let db: Db;
let publisher: EventPublisher;

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const totalLag = async (consumer: EventConsumer) =>
  (await consumerLag(admin, [consumer.subscription])).reduce((sum, m) => sum + m.value, 0);

beforeAll(async () => {
  kafka = createKafka({ brokers: KAFKA_BROKERS.split(','), clientId: `measures-test-${id}` });
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topic]);
  publisher = new EventPublisher(kafka);
  await publisher.connect();
  mongo = await MongoClient.connect(mongoUri);
  db = mongo.db();
});

afterAll(async () => {
  await publisher?.disconnect();
  await admin?.disconnect();
  await db?.dropDatabase();
  await mongo?.close();
});

test('consumer lag counts what a group has yet to read, per partition, and falls to 0 once it has', async () => {
  const events = ['c1', 'c2', 'c3', 'c4'].map(callClosed);
  await publisher.publish(topic, events);
  const handled: string[] = [];
  const consumer = new EventConsumer(kafka, {
    groupId,
    topics: [topic],
    processed: new ProcessedEvents(db.collection('processed_events')),
    handle: async (event) => {
      handled.push(event.id);
    },
  });

  // Before the group's first commit it is behind by everything on the topic.
  const before = await consumerLag(admin, [consumer.subscription]);
  expect(before.map((m) => m.labels.partition).sort()).toEqual([0, 1, 2]);
  expect(before.every((m) => m.labels.group === groupId && m.labels.topic === topic)).toBe(true);
  expect(await totalLag(consumer)).toBe(events.length);

  await consumer.start();
  try {
    await until(async () => handled.length === events.length && (await totalLag(consumer)) === 0, 'lag 0');
    await publisher.publish(topic, [callClosed('c5')]);
    await until(async () => handled.length === events.length + 1, 'the fifth event');
    await until(async () => (await totalLag(consumer)) === 0, 'lag 0 again');
  } finally {
    await consumer.stop();
  }
});

test("the DLQ depth counts the messages in the group's dead-letter topics", async () => {
  const consumer = new EventConsumer(kafka, {
    groupId: `${groupId}-dlq`,
    topics: [topic],
    processed: new ProcessedEvents(db.collection('processed_events')),
    handle: async () => undefined,
  });
  await consumer.start();
  try {
    expect(await deadLetterDepth(admin, consumer.deadLetterTopics)).toEqual([
      { labels: { topic: consumer.deadLetterTopics[0] }, value: 0 },
    ]);
    const raw = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await raw.connect();
    await raw.send({
      topic,
      messages: [
        { key: 'x', value: 'not json' },
        { key: 'y', value: '{"id":1}' },
      ],
    });
    await raw.disconnect();
    await until(
      async () => (await deadLetterDepth(admin, consumer.deadLetterTopics))[0]?.value === 2,
      'two dead letters',
    );
  } finally {
    await consumer.stop();
  }
});

test('the outbox backlog counts documents with events waiting, and none once relayed', async () => {
  const calls: Collection<OutboxDocument> = db.collection('calls');
  await calls.insertMany([{ _id: 'b1' }, { _id: 'b2' }, { _id: 'b3' }]);
  await calls.updateOne({ _id: 'b1' }, { $push: pushToOutbox([callClosed('b1'), callClosed('b1')]) });
  await calls.updateOne({ _id: 'b2' }, { $push: pushToOutbox([callClosed('b2')]) });
  const relay = new OutboxRelay(calls, publisher, { topic });

  expect(await outboxBacklog({ calls: relay })).toEqual([{ labels: { outbox: 'calls' }, value: 2 }]);
  expect(await relay.relayOnce()).toBe(3);
  expect(await outboxBacklog({ calls: relay })).toEqual([{ labels: { outbox: 'calls' }, value: 0 }]);
});
