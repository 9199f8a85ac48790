import type { EachMessagePayload } from 'kafkajs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { isolation, stackEndpoints } from '../src';

const { KAFKA_BROKERS } = stackEndpoints();
const { topicPrefix } = isolation('kafka-smoke');
const topic = `${topicPrefix}smoke`;
const groupId = `${topicPrefix}group`;

const kafka = new Kafka({
  clientId: 'kafka-smoke',
  brokers: KAFKA_BROKERS.split(','),
  logLevel: logLevel.WARN,
});
const admin = kafka.admin();

/**
 * kafkajs's `waitForLeaders` gives up on the "does not host this topic-partition" a KRaft broker
 * answers until the new topic's metadata reaches it (seen in CI right after the broker started),
 * so the leaders are awaited here, retrying what the broker calls retriable.
 */
async function createLedTopic(): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: false });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const led = await admin.fetchTopicMetadata({ topics: [topic] }).then(
      ({ topics }) => topics[0]!.partitions.length === 3 && topics[0]!.partitions.every((p) => p.leader >= 0),
      (error: { retriable?: boolean }) => {
        if (!error.retriable) throw error;
        return false;
      },
    );
    if (led) return;
    if (Date.now() > deadline) throw new Error(`${topic} has no leader after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  await admin.connect();
  await createLedTopic();
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

/** Consumes until `count` messages arrived, then stops the consumer (which commits its offsets). */
async function consume(count: number): Promise<EachMessagePayload[]> {
  const consumer = kafka.consumer({ groupId });
  const received: EachMessagePayload[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${received.length}/${count} messages arrived`)),
      30_000,
    );
    void consumer.run({
      eachMessage: async (payload) => {
        received.push(payload);
        if (received.length === count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return received;
}

test('a produced message is consumed by a consumer group that commits its offset', async () => {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'application-1', value: JSON.stringify({ n: 1 }) }] });

  const [first] = await consume(1);
  expect(first?.message.key?.toString()).toBe('application-1');
  expect(JSON.parse(first!.message.value!.toString())).toEqual({ n: 1 });

  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = offsets[0]!.partitions.find((p) => p.partition === first!.partition);
  expect(committed?.offset).toBe(String(Number(first!.message.offset) + 1));

  // The group resumes after its committed offset: a second message is the only one it sees.
  await producer.send({ topic, messages: [{ key: 'application-1', value: JSON.stringify({ n: 2 }) }] });
  await producer.disconnect();
  const again = await consume(1);
  expect(again.map((m) => JSON.parse(m.message.value!.toString()))).toEqual([{ n: 2 }]);
  // Same key, same partition.
  expect(again[0]!.partition).toBe(first!.partition);
});
