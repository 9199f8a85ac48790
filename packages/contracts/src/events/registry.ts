import type { z } from 'zod';
import { applicationEvents } from '../applications';
import { callEvents } from '../calls';
import { expertEvents } from '../experts';
import { lifecycleEvents } from '../lifecycle';
import { reportingEvents } from '../reporting';
import type { AnyEnvelope } from './envelope';
import { anyEnvelope } from './envelope';

/** Every event the platform knows, by `type@version`. A breaking change adds a version beside the old. */
const schemas = new Map<string, z.ZodType>(
  [
    ...Object.values(callEvents),
    ...Object.values(applicationEvents),
    ...Object.values(lifecycleEvents),
    ...Object.values(expertEvents),
    ...Object.values(reportingEvents),
  ].map((schema) => {
    const { type, version } = schema.shape;
    return [`${type.value}@${version.value}`, schema];
  }),
);

export const knownEventTypes = (): string[] => [...schemas.keys()].sort();

export type EventValidation =
  | { ok: true; event: AnyEnvelope }
  | { ok: false; reason: string; issues: { path: string; message: string }[] };

/** Validates a message from the wire: the envelope first, then the payload of its type and version. */
export function validateEvent(raw: unknown): EventValidation {
  const envelope = anyEnvelope.safeParse(raw);
  if (!envelope.success) return failure('not a valid envelope', envelope.error);
  const schema = schemas.get(`${envelope.data.type}@${envelope.data.version}`);
  if (!schema) {
    return { ok: false, reason: `unknown event ${envelope.data.type}@${envelope.data.version}`, issues: [] };
  }
  const event = schema.safeParse(raw);
  if (!event.success) return failure(`invalid ${envelope.data.type}@${envelope.data.version}`, event.error);
  return { ok: true, event: event.data as AnyEnvelope };
}

function failure(reason: string, error: z.ZodError): EventValidation {
  return {
    ok: false,
    reason,
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  };
}
