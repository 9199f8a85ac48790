import { randomUUID } from 'node:crypto';
import type { AnyEnvelope } from '@s3p/contracts';
import { validateEvent } from '@s3p/contracts';
import { createKafka } from '@s3p/messaging';
import { stackEndpoints } from '@s3p/testkit';
import type { Consumer } from 'kafkajs';

/** What a topic carried, read from its beginning by a group of the test's own. */
export interface Tap {
  events: AnyEnvelope[];
  /** Messages that did not validate against their contract. */
  invalid: { value: string; reason: string }[];
  stop(): Promise<void>;
}

export async function tap(topics: string[]): Promise<Tap> {
  const kafka = createKafka({ brokers: stackEndpoints().KAFKA_BROKERS.split(','), clientId: 'e2e-tap' });
  const consumer: Consumer = kafka.consumer({ groupId: `e2e-tap-${randomUUID()}` });
  const tapped: Tap = {
    events: [],
    invalid: [],
    stop: async () => {
      await consumer.disconnect();
    },
  };
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = message.value?.toString('utf8') ?? '';
      let raw: unknown;
      try {
        raw = JSON.parse(value);
      } catch {
        tapped.invalid.push({ value, reason: 'not JSON' });
        return;
      }
      const checked = validateEvent(raw);
      if (checked.ok) tapped.events.push(checked.event);
      else tapped.invalid.push({ value, reason: `${checked.reason} ${JSON.stringify(checked.issues)}` });
    },
  });
  return tapped;
}
