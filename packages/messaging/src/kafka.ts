import type { Admin, ITopicConfig } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

export function createKafka({ brokers, clientId }: KafkaSettings): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    retry: { retries: 8, initialRetryTime: 200 },
  });
}

/**
 * Creates the topics a service owns or needs, if missing (the broker never creates topics by
 * itself), and waits until each partition has a leader. Safe to call from every instance at
 * start-up.
 */
export async function ensureTopics(
  admin: Admin,
  topics: string[],
  numPartitions = 3,
  leadersWithinMs = 30_000,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing: ITopicConfig[] = topics
    .filter((t) => !existing.has(t))
    .map((topic) => ({ topic, numPartitions }));
  if (missing.length === 0) return;
  try {
    await admin.createTopics({ topics: missing, waitForLeaders: false });
  } catch (error) {
    // Another instance created it first.
    if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
  }
  await awaitLeaders(
    admin,
    missing.map(({ topic }) => topic),
    leadersWithinMs,
  );
}

/**
 * kafkajs's own `waitForLeaders` gives up on the first "does not host this topic-partition" a
 * freshly started KRaft broker answers while the new topic's metadata spreads; that answer is
 * retriable, so it is retried here until the time is up.
 */
async function awaitLeaders(admin: Admin, topics: string[], withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const led = await everyPartitionLed(admin, topics).catch((error: unknown) => {
      if (!(error as { retriable?: boolean }).retriable || Date.now() > deadline) throw error;
      return false;
    });
    if (led) return;
    if (Date.now() > deadline) {
      throw new Error(`topics without a leader after ${withinMs} ms: ${topics.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function everyPartitionLed(admin: Admin, topics: string[]): Promise<boolean> {
  const { topics: described } = await admin.fetchTopicMetadata({ topics });
  return described.every(
    ({ partitions }) => partitions.length > 0 && partitions.every(({ leader }) => leader >= 0),
  );
}

/** The dead-letter topic of one consumer group on one topic. */
export const dlqTopicOf = (topic: string, groupId: string) => `${topic}.${groupId}.dlq`;

/** A readiness check: the broker answers a metadata request. The admin must be connected. */
export const kafkaReadiness = (admin: Admin) => async (): Promise<void> => {
  await admin.describeCluster();
};
