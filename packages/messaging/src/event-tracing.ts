import type { Context, Span, TextMapGetter } from '@opentelemetry/api';
import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { AnyEnvelope } from '@s3p/contracts';
import type { IHeaders } from 'kafkajs';

const tracer = () => trace.getTracer('@s3p/messaging');

/** service-kit's correlation id (a `Symbol.for` key): log lines written while handling an event name its chain. */
const correlationIdKey = createContextKey('s3p.correlation-id');

const messagingAttributes = (topic: string, event?: AnyEnvelope) => ({
  'messaging.system': 'kafka',
  'messaging.destination.name': topic,
  ...(event ? { 'messaging.message.id': event.id, 's3p.event.type': event.type } : {}),
});

/**
 * The event with the trace context of the work recording it, unless it has one: the outbox keeps
 * it with the event, and the relay, publishing it later from no request at all, continues that
 * trace. Unchanged when no trace is under way (tracing off).
 */
export function withTraceContext<E extends AnyEnvelope>(event: E): E {
  if (event.traceparent) return event;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? { ...event, traceparent: carrier.traceparent } : event;
}

export interface ProducerSpan {
  /** `traceparent` (and `tracestate`) for the Kafka message: the consumer's span becomes this one's child. */
  headers: Record<string, string>;
  end(error?: unknown): void;
}

/** A producer span for one event, the child of the trace the event was recorded in. */
export function producerSpan(topic: string, event: AnyEnvelope): ProducerSpan {
  const parent = event.traceparent
    ? propagation.extract(ROOT_CONTEXT, { traceparent: event.traceparent })
    : context.active();
  const span = tracer().startSpan(
    `send ${topic}`,
    { kind: SpanKind.PRODUCER, attributes: messagingAttributes(topic, event) },
    parent,
  );
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { headers, end: (error) => finish(span, error) };
}

function finish(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  span.end();
}

const headerGetter: TextMapGetter<IHeaders | undefined> = {
  keys: (carrier) => Object.keys(carrier ?? {}),
  get: (carrier, key) => {
    const value = carrier?.[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/**
 * The trace a consumed message continues: its `traceparent` header, or else the one recorded in
 * the event (a message replayed from the DLQ, or published before the header existed).
 */
function consumedParent(headers: IHeaders | undefined, value: Buffer | null): Context {
  if (headerGetter.get(headers, 'traceparent'))
    return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
  try {
    const recorded = (JSON.parse(value?.toString('utf8') ?? '') as { traceparent?: unknown }).traceparent;
    if (typeof recorded === 'string') return propagation.extract(ROOT_CONTEXT, { traceparent: recorded });
  } catch {
    // Not JSON: it goes to the DLQ in a trace of its own.
  }
  return ROOT_CONTEXT;
}

/**
 * Runs the handling of one consumed message in a consumer span, the child of the producer's, so
 * that what the handler does (logs, workflow starts, events it records) belongs to that trace.
 */
export async function inConsumerSpan<T>(
  message: { topic: string; partition: number; groupId: string; headers?: IHeaders; value: Buffer | null },
  work: (span: { fail(reason: string): void }) => Promise<T>,
): Promise<T> {
  const parent = consumedParent(message.headers, message.value);
  const span = tracer().startSpan(
    `process ${message.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...messagingAttributes(message.topic),
        'messaging.consumer.group.name': message.groupId,
        'messaging.destination.partition.id': String(message.partition),
      },
    },
    parent,
  );
  return runInSpan(parent, span, work);
}

/**
 * Runs the handling of several consumed messages at once in one consumer span of its own, linked
 * to each message's producer span (a span has one parent, and these messages have as many).
 */
export async function inBatchConsumerSpan<T>(
  batch: {
    topic: string;
    partition: number;
    groupId: string;
    messages: { headers?: IHeaders; value: Buffer | null }[];
  },
  work: (span: { fail(reason: string): void }) => Promise<T>,
): Promise<T> {
  const links = batch.messages.flatMap(({ headers, value }) => {
    const linked = trace.getSpanContext(consumedParent(headers, value));
    return linked ? [{ context: linked }] : [];
  });
  const span = tracer().startSpan(
    `process ${batch.topic}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        ...messagingAttributes(batch.topic),
        'messaging.consumer.group.name': batch.groupId,
        'messaging.destination.partition.id': String(batch.partition),
        'messaging.batch.message_count': batch.messages.length,
      },
    },
    ROOT_CONTEXT,
  );
  return runInSpan(ROOT_CONTEXT, span, work);
}

/** Runs `work` as the span's (ended when it settles, failed when it throws). */
async function runInSpan<T>(
  parent: Context,
  span: Span,
  work: (span: { fail(reason: string): void }) => Promise<T>,
): Promise<T> {
  let failure: unknown;
  try {
    return await context.with(trace.setSpan(parent, span), () =>
      work({ fail: (reason) => span.setStatus({ code: SpanStatusCode.ERROR, message: reason }) }),
    );
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    finish(span, failure);
  }
}

/** Runs `work` with the event's correlation id in the context, for the log lines it writes. */
export const withEventCorrelation = <T>(event: AnyEnvelope, work: () => Promise<T>): Promise<T> =>
  context.with(context.active().setValue(correlationIdKey, event.correlationId), work);
