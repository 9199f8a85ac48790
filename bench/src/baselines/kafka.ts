import { randomUUID } from 'node:crypto';
import { ensureTopics } from '@s3p/messaging';
import { isolation } from '@s3p/testkit';
import type { Consumer, Producer } from 'kafkajs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { closedLoop, loadFigures } from '../load';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';
import { cleanUp, httpConcurrency, phasesOf } from './common';
import { submittedEnvelope } from './fixtures';

/**
 * B-kafka: bare kafkajs round trips of an `application.submitted` envelope (a complete application,
 * about 1.5 KB) through a topic of its own with the platform's three partitions: produced as the
 * platform publishes (keyed by subject, acks = all, the default partitioner) and consumed by a
 * consumer group of its own (eachMessage, JSON parsed), in the same process so that one clock
 * times the trip. Measured in a closed loop at the burst concurrency (messages/s and latency) and
 * one at a time (latency alone).
 */
export const bKafka: Scenario = {
  id: 'B-kafka',
  async run(context: ScenarioContext): Promise<Figure[]> {
    const phases = phasesOf(context);
    const names = isolation('bench-kafka');
    const topic = `${names.topicPrefix}roundtrip`;
    const groupId = `${names.topicPrefix}consumer`;
    const kafka = new Kafka({
      clientId: `bench-${names.id}`,
      brokers: context.endpoints.KAFKA_BROKERS.split(','),
      logLevel: logLevel.WARN,
      retry: { retries: 8, initialRetryTime: 200 },
    });
    const admin = kafka.admin();
    await admin.connect();
    let producer: Producer | undefined;
    let consumer: Consumer | undefined;
    try {
      await ensureTopics(admin, [topic]);
      const template = submittedEnvelope();
      const waiting = new Map<string, () => void>();
      const reader = kafka.consumer({ groupId, allowAutoTopicCreation: false });
      consumer = reader;
      await reader.connect();
      await reader.subscribe({ topics: [topic], fromBeginning: true });
      const joined = new Promise<void>((resolve) => reader.on(reader.events.GROUP_JOIN, () => resolve()));
      await reader.run({
        eachMessage: async ({ message }) => {
          const event = JSON.parse(message.value?.toString('utf8') ?? '') as { id: string };
          waiting.get(event.id)?.();
        },
      });
      const sender = kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
      });
      producer = sender;
      await sender.connect();
      await joined;
      const roundTrip = async () => {
        const subject = randomUUID();
        const event = { ...template, id: randomUUID(), subject };
        const received = new Promise<void>((resolve) => waiting.set(event.id, resolve));
        try {
          await sender.send({
            topic,
            acks: -1,
            messages: [
              {
                key: subject,
                value: JSON.stringify(event),
                headers: {
                  'event-type': event.type,
                  'event-version': String(event.version),
                  'event-id': event.id,
                },
              },
            ],
          });
          await withTimeout(received, 10_000, 'the message was not consumed within 10 s');
        } finally {
          waiting.delete(event.id);
        }
      };
      const size = Buffer.byteLength(JSON.stringify(template));
      const burst = await closedLoop(httpConcurrency, phases.measureMs, roundTrip, {
        warmupMs: phases.warmupMs,
      });
      const single = await closedLoop(1, phases.shortMs / 2, roundTrip);
      context.log(
        `B-kafka: ${burst.rps.toFixed(0)} msg/s p99 ${burst.latency.p99.toFixed(1)} ms; alone p50 ${single.latency.p50.toFixed(1)} ms`,
      );
      const note = (concurrency: number) =>
        `${size} B envelope, 3 partitions, acks all, ${concurrency} in flight`;
      return [
        ...loadFigures(bKafka.id, 'produce → consume round trip', burst, note(httpConcurrency), 'msg/s'),
        ...loadFigures(bKafka.id, 'one at a time round trip', single, note(1), 'msg/s').slice(1),
      ];
    } finally {
      await cleanUp(context, [
        ['the consumer', async () => consumer?.disconnect()],
        ['the producer', async () => producer?.disconnect()],
        ['the topic', () => admin.deleteTopics({ topics: [topic] })],
        ['the consumer group', () => admin.deleteGroups([groupId])],
        ['the admin client', () => admin.disconnect()],
      ]);
    }
  },
};

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
