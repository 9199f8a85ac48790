import type { Admin } from 'kafkajs';

/** One value of a gauge with its labels; service-kit's `Sample`, by shape. */
export interface Measure<Label extends string> {
  labels: Record<Label, string | number>;
  value: number;
}

/** A consumer group and the topics it reads (`EventConsumer.subscription`). */
export interface Subscription {
  groupId: string;
  topics: readonly string[];
}

/**
 * How far each group is behind, per topic and partition: the high watermark minus the committed
 * offset (minus the low watermark before the group's first commit: a new group reads from the
 * beginning).
 */
export async function consumerLag(
  admin: Admin,
  subscriptions: readonly Subscription[],
): Promise<Measure<'group' | 'topic' | 'partition'>[]> {
  const measures: Measure<'group' | 'topic' | 'partition'>[] = [];
  for (const { groupId, topics } of subscriptions) {
    const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
    for (const topic of topics) {
      const partitions = committed.find((t) => t.topic === topic)?.partitions ?? [];
      const at = new Map(partitions.map((p) => [p.partition, BigInt(p.offset)]));
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        const committedOffset = at.get(partition) ?? -1n;
        const behind = BigInt(high) - (committedOffset >= 0n ? committedOffset : BigInt(low));
        measures.push({
          labels: { group: groupId, topic, partition },
          value: Number(behind > 0n ? behind : 0n),
        });
      }
    }
  }
  return measures;
}

/**
 * How many messages each DLQ topic holds: nothing consumes them (the DLQ tool reads without a
 * group), so a DLQ's depth is its high watermark minus its low one.
 */
export async function deadLetterDepth(
  admin: Admin,
  dlqTopics: readonly string[],
): Promise<Measure<'topic'>[]> {
  const measures: Measure<'topic'>[] = [];
  for (const topic of dlqTopics) {
    const partitions = await admin.fetchTopicOffsets(topic);
    const messages = partitions.reduce((sum, p) => sum + (BigInt(p.high) - BigInt(p.low)), 0n);
    measures.push({ labels: { topic }, value: Number(messages) });
  }
  return measures;
}

/** The backlog of each named outbox: documents holding events the relay has yet to publish. */
export async function outboxBacklog(
  relays: Record<string, { backlog(): Promise<number> }>,
): Promise<Measure<'outbox'>[]> {
  const measures: Measure<'outbox'>[] = [];
  for (const [outbox, relay] of Object.entries(relays)) {
    measures.push({ labels: { outbox }, value: await relay.backlog() });
  }
  return measures;
}
