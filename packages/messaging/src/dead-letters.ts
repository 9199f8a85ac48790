import type { Kafka, KafkaMessage } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { DeadLetter } from './consumer';

export interface StoredDeadLetter {
  dlqOffset: string;
  letter: DeadLetter;
  key: string | null;
  value: string | null;
}

/** Reads a DLQ topic from the start to its current end, without joining any consumer group. */
export async function readDeadLetters(kafka: Kafka, dlqTopic: string): Promise<StoredDeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(dlqTopic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]));
  if (remaining.size === 0) return [];

  const consumer = kafka.consumer({ groupId: `dlq-reader-${process.pid}-${Date.now()}` });
  const letters: StoredDeadLetter[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out reading ${dlqTopic}`)), 60_000);
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        letters.push(toStored(message));
        if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return letters.sort((a, b) => Number(BigInt(a.dlqOffset) - BigInt(b.dlqOffset)));
}

function toStored(message: KafkaMessage): StoredDeadLetter {
  const header = message.headers?.['dead-letter'];
  return {
    dlqOffset: message.offset,
    letter: JSON.parse(header ? header.toString() : '{}') as DeadLetter,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
  };
}

/**
 * Sends dead letters back to the topic they came from, unchanged, once their cause is fixed.
 * A consumer that already handled an event skips it by id, so replaying too much is harmless.
 */
export async function replayDeadLetters(kafka: Kafka, letters: readonly StoredDeadLetter[]): Promise<number> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (const stored of letters) {
      await producer.send({
        topic: stored.letter.topic,
        acks: -1,
        messages: [
          { key: stored.key, value: stored.value, headers: { 'replayed-from-dlq-offset': stored.dlqOffset } },
        ],
      });
    }
  } finally {
    await producer.disconnect();
  }
  return letters.length;
}
