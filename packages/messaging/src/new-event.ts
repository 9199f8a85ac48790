import { randomUUID } from 'node:crypto';
import type { Actor, AnyEnvelope } from '@s3p/contracts';
import type { z } from 'zod';
import { withTraceContext } from './event-tracing';

/** The schema of one event type, as `envelope()` in the contracts builds it. */
type EventSchema = z.ZodObject<{
  type: z.ZodLiteral<string>;
  version: z.ZodLiteral<number>;
  data: z.ZodType;
}>;

export interface EventFields<S extends EventSchema> {
  source: string;
  /** The aggregate id: the Kafka key. */
  subject: string;
  actor: Actor;
  data: z.input<S['shape']['data']>;
  /** The request or event this one continues; a new chain starts when absent. */
  correlationId?: string;
  causationId?: string | null;
  occurredAt?: Date;
}

/**
 * A new event of this type, validated now: an event that would be refused on the wire is a bug
 * at the write that causes it, not later in the relay. It carries the trace it was created in.
 */
export function newEvent<S extends EventSchema>(schema: S, fields: EventFields<S>): z.infer<S> {
  const event = schema.parse({
    id: randomUUID(),
    type: schema.shape.type.value,
    version: schema.shape.version.value,
    source: fields.source,
    subject: fields.subject,
    occurredAt: (fields.occurredAt ?? new Date()).toISOString(),
    correlationId: fields.correlationId ?? randomUUID(),
    causationId: fields.causationId ?? null,
    actor: fields.actor,
    data: fields.data,
  });
  return withTraceContext(event as AnyEnvelope) as z.infer<S>;
}
