import type { AnyEnvelope } from '@s3p/contracts';
import type { EventBatchHandler, EventHandler } from '@s3p/messaging';
import type { AuditTrail } from './audit-trail';

/** The topic to record for an event. */
export type TopicOf = (event: AnyEnvelope) => string;

/**
 * Appends every event the consumer hands over to the audit trail; a redelivered one adds nothing.
 * `EventConsumer` gives a handler the validated envelope alone, not the topic it was read from,
 * so unless `topicOf` says otherwise an entry's `topic` is the event's `source` (each service
 * publishes on its own `<source>.events` topic).
 */
export function auditHandler(trail: AuditTrail, topicOf: TopicOf = (event) => event.source): EventHandler {
  return async (event) => {
    await trail.append(event, topicOf(event));
  };
}

/** As `auditHandler`, for several events at once: one write for all of them. */
export function auditBatchHandler(
  trail: AuditTrail,
  topicOf: TopicOf = (event) => event.source,
): EventBatchHandler {
  return (events) => trail.appendMany(events.map((event) => ({ event, topic: topicOf(event) })));
}
