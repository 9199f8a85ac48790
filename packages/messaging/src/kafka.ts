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
 * itself). Safe to call from every instance at start-up.
 */
export async function ensureTopics(admin: Admin, topics: string[], numPartitions = 3): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing: ITopicConfig[] = topics
    .filter((t) => !existing.has(t))
    .map((topic) => ({ topic, numPartitions }));
  if (missing.length === 0) return;
  try {
    await admin.createTopics({ topics: missing, waitForLeaders: true });
  } catch (error) {
    // Another instance created it first.
    if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
  }
}

/** The dead-letter topic of one consumer group on one topic. */
export const dlqTopicOf = (topic: string, groupId: string) => `${topic}.${groupId}.dlq`;

/** A readiness check: the broker answers a metadata request. The admin must be connected. */
export const kafkaReadiness = (admin: Admin) => async (): Promise<void> => {
  await admin.describeCluster();
};
