import type { Context } from '@opentelemetry/api';
import { context, createContextKey, isSpanContextValid, propagation, trace } from '@opentelemetry/api';

/**
 * The correlation id of the work under way: an HTTP request's id (`x-request-id`), or the
 * `correlationId` of the event being handled. The key is a `Symbol.for`, so messaging, which
 * sets it for events without depending on this package, reads and writes the same one.
 */
export const correlationIdKey = createContextKey('s3p.correlation-id');

export const withCorrelationId = (parent: Context, correlationId: string): Context =>
  parent.setValue(correlationIdKey, correlationId);

/**
 * A pino `mixin`: every log line written while a request, an event or an activity is handled
 * names its trace, span and correlation id, so that one search finds every line of one pilot's
 * path. Empty outside such work, and always when tracing is off.
 */
export function traceLogFields(): Record<string, string> {
  const active = context.active();
  const fields: Record<string, string> = {};
  const span = trace.getSpanContext(active);
  if (span && isSpanContextValid(span)) {
    fields.traceId = span.traceId;
    fields.spanId = span.spanId;
  }
  const correlationId = active.getValue(correlationIdKey);
  if (typeof correlationId === 'string') fields.correlationId = correlationId;
  return fields;
}

/** The W3C `traceparent` (and `tracestate`) of the work under way, for a call to another service. */
export function outgoingTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}
