import type { AnyEnvelope } from '@s3p/contracts';
import { validateEvent } from '@s3p/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { producerSpan } from './event-tracing';

export class InvalidEventError extends Error {
  constructor(
    readonly reason: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`refusing to publish an invalid event: ${reason} ${JSON.stringify(issues)}`);
  }
}

/**
 * Publishes events, each validated against its contract first and keyed by its subject, so that
 * one aggregate's events stay on one partition and in order. Every producer uses the same
 * (kafkajs default, murmur2) partitioner so a key always lands on the same partition.
 */
export class EventPublisher {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /**
   * Resolves once every replica in sync has the events (acks = all), sent in their order. Each
   * message carries a `traceparent` header: a producer span in the trace its event was recorded in.
   */
  async publish(topic: string, events: readonly AnyEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    for (const event of events) {
      const checked = validateEvent(event);
      if (!checked.ok) throw new InvalidEventError(checked.reason, checked.issues);
    }
    const spans = events.map((event) => producerSpan(topic, event));
    let failure: unknown;
    const messages = events.map((event, index) => ({
      key: event.subject,
      value: JSON.stringify(event),
      headers: {
        'event-type': event.type,
        'event-version': String(event.version),
        'event-id': event.id,
        ...spans[index]?.headers,
      },
    }));
    try {
      for (const part of sendsOf(messages)) await this.producer.send({ topic, acks: -1, messages: part });
    } catch (error) {
      failure = error ?? new Error('send failed');
      throw error;
    } finally {
      for (const span of spans) span.end(failure);
    }
  }
}

/**
 * Under the broker's limit of a record batch (1 MB by default): the messages in consecutive
 * sends of at most this many bytes of values, sent one after another so that their order holds.
 */
const bytesPerSend = 512 * 1024;

export function sendsOf<M extends { value: string }>(messages: readonly M[]): M[][] {
  const sends: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.value);
    if (current.length > 0 && bytes + size > bytesPerSend) {
      sends.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) sends.push(current);
  return sends;
}
