import type { Span } from '@opentelemetry/api';
import { context, createContextKey, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { isolation, stackEndpoints } from '@s3p/testkit';
import type { Kafka } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Collection, Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import type { OutboxDocument } from '../src';
import {
  createKafka,
  ensureTopics,
  EventConsumer,
  EventPublisher,
  OutboxRelay,
  ProcessedEvents,
  pushToOutbox,
} from '../src';
import { callClosed } from './call-events';

const { KAFKA_BROKERS } = stackEndpoints();
const { topicPrefix, mongoUri, id } = isolation('trace-propagation');
const topic = `${topicPrefix}calls.events`;

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = () => trace.getTracer('trace-propagation-test');
/** The key service-kit's log mixin reads the correlation id from. */
const correlationIdKey = createContextKey('s3p.correlation-id');

let kafka: Kafka;
let mongo: MongoClient;
let db: Db;
let publisher: EventPublisher;
let consumer: EventConsumer;
/** What the handler saw of the active context, by event id. */
const handled = new Map<string, { traceId?: string; spanId?: string; correlationId?: unknown }>();

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const spansOf = (kind: SpanKind) => exporter.getFinishedSpans().filter((span) => span.kind === kind);
const withEventId = (eventId: string) => (span: ReadableSpan) =>
  span.attributes['messaging.message.id'] === eventId;

beforeAll(async () => {
  provider.register();
  kafka = createKafka({ brokers: KAFKA_BROKERS.split(','), clientId: `trace-test-${id}` });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topic]);
  await admin.disconnect();
  publisher = new EventPublisher(kafka);
  await publisher.connect();
  mongo = await MongoClient.connect(mongoUri);
  db = mongo.db();
  consumer = new EventConsumer(kafka, {
    groupId: `${topicPrefix}trace-consumer`,
    log: (e) => console.error('LOG', e),
    topics: [topic],
    processed: new ProcessedEvents(db.collection('processed_events')),
    handle: async (event) => {
      const active = trace.getActiveSpan()?.spanContext();
      handled.set(event.id, {
        traceId: active?.traceId,
        spanId: active?.spanId,
        correlationId: context.active().getValue(correlationIdKey),
      });
    },
  });
  await consumer.start();
  console.error('STARTED', new Date().toISOString());
});

afterAll(async () => {
  await consumer?.stop();
  await publisher?.disconnect();
  await db?.dropDatabase();
  await mongo?.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

test('an event written through the outbox is consumed in the trace of the request that wrote it', async () => {
  const calls: Collection<OutboxDocument & { status: string }> = db.collection('calls');
  const event = callClosed('call-t1');
  await calls.insertOne({ _id: 'call-t1', status: 'open' });

  // The request: the state change and its event, one write, inside the request's span.
  const request: Span = tracer().startSpan('PATCH /api/calls/:id', { kind: SpanKind.SERVER });
  await context.with(trace.setSpan(ROOT_CONTEXT, request), () =>
    calls.updateOne({ _id: 'call-t1' }, { $set: { status: 'closed' }, $push: pushToOutbox([event]) }),
  );
  request.end();
  const { traceId, spanId: requestSpanId } = request.spanContext();

  // The outbox keeps the request's trace context with the event.
  const [stored] = (await calls.findOne({ _id: 'call-t1' }))?.outbox ?? [];
  expect(stored?.traceparent).toBe(`00-${traceId}-${requestSpanId}-01`);

  // The relay publishes later, from no request at all.
  const relay = new OutboxRelay(calls, publisher, { topic });
  expect(await context.with(ROOT_CONTEXT, () => relay.relayOnce())).toBe(1);

  const seen = await until(() => handled.get(event.id), 'the consumer to handle the event');
  const producer = await until(
    () => spansOf(SpanKind.PRODUCER).find(withEventId(event.id)),
    'the producer span',
  );
  const consumed = await until(
    () => spansOf(SpanKind.CONSUMER).find((span) => span.spanContext().spanId === seen.spanId),
    'the consumer span',
  );

  expect(producer.spanContext().traceId).toBe(traceId);
  expect(producer.parentSpanId).toBe(requestSpanId);
  expect(consumed.spanContext().traceId).toBe(traceId);
  expect(consumed.parentSpanId).toBe(producer.spanContext().spanId);
  expect(consumed.attributes['messaging.consumer.group.name']).toBe(`${topicPrefix}trace-consumer`);
  expect(seen.traceId).toBe(traceId);
  // Log lines written by the handler name the event's correlation id.
  expect(seen.correlationId).toBe(event.correlationId);
});

test('a message without trace headers (replayed from a DLQ) continues the trace recorded in its event', async () => {
  const recordedTrace = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const recordedSpan = '1122334455667788';
  const event = { ...callClosed('call-t2'), traceparent: `00-${recordedTrace}-${recordedSpan}-01` };
  const raw = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await raw.connect();
  try {
    await raw.send({ topic, messages: [{ key: event.subject, value: JSON.stringify(event) }] });
  } finally {
    await raw.disconnect();
  }

  const seen = await until(() => handled.get(event.id), 'the consumer to handle the replayed event');
  const consumed = await until(
    () => spansOf(SpanKind.CONSUMER).find((span) => span.spanContext().spanId === seen.spanId),
    'the consumer span',
  );
  expect(seen.traceId).toBe(recordedTrace);
  expect(consumed.parentSpanId).toBe(recordedSpan);
});
