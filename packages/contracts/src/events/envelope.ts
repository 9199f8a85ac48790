import { z } from 'zod';

/** Who caused an event: a signed-in user (with the roles it acted in) or the platform itself. */
export const actor = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), sub: z.string().min(1), roles: z.array(z.string().min(1)) }),
  z.strictObject({ kind: z.literal('system'), name: z.string().min(1) }),
]);
export type Actor = z.infer<typeof actor>;

/** What every envelope carries besides its type, version and payload. */
const envelopeFields = {
  id: z.uuid(),
  source: z.string().min(1),
  /** The aggregate id; also the Kafka key, so one aggregate's events stay in order. */
  subject: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.uuid(),
  causationId: z.uuid().nullable(),
  actor,
  /**
   * The W3C trace context of the work that recorded the event (CloudEvents' distributed-tracing
   * extension): kept with the event in the outbox, so that the relay, publishing later, continues
   * that trace. Absent when tracing is off.
   */
  traceparent: z
    .string()
    .regex(/^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/, 'a W3C traceparent')
    .optional(),
};

/**
 * The envelope of every message on Kafka, aligned with CloudEvents (id, type, source, subject,
 * time) plus what tracing one pilot needs: correlation and causation ids and the actor.
 */
export function envelope<Type extends string, Version extends number, Data extends z.ZodType>(
  type: Type,
  version: Version,
  data: Data,
) {
  return z.strictObject({ ...envelopeFields, type: z.literal(type), version: z.literal(version), data });
}

/** The envelope without a particular payload: what a consumer checks before it looks at the type. */
export const anyEnvelope = z.strictObject({
  ...envelopeFields,
  type: z.string().min(1),
  version: z.number().int().positive(),
  data: z.unknown(),
});
export type AnyEnvelope = z.infer<typeof anyEnvelope>;
