import type { AnyEnvelope } from '@s3p/contracts';
import {
  applicationEvents,
  callEvents,
  expertEvents,
  lifecycleEvents,
  reportingEvents,
} from '@s3p/contracts';
import type { z } from 'zod';

/** The schema of one event type and version, as `envelope()` in the contracts builds it. */
type EventSchema = z.ZodObject<{
  type: z.ZodLiteral<string>;
  version: z.ZodLiteral<number>;
  data: z.ZodType;
}>;

/** The events about one pilot that the read models take in; reminders and drafts are left out. */
const pilotEventSchemas = [
  applicationEvents.submitted,
  applicationEvents.withdrawn,
  lifecycleEvents.stageChanged,
  lifecycleEvents.reviewersAssigned,
  lifecycleEvents.conflictDeclared,
  lifecycleEvents.reviewSubmitted,
  lifecycleEvents.decisionTaken,
  lifecycleEvents.pilotApproved,
  lifecycleEvents.pilotApprovedV2,
  lifecycleEvents.milestoneOverdue,
  expertEvents.memberInvited,
  expertEvents.invitationAnswered,
  expertEvents.teamAssigned,
  expertEvents.assignmentFailed,
  expertEvents.memberReplaced,
  expertEvents.teamReleased,
  reportingEvents.milestoneReported,
  reportingEvents.milestoneVerified,
  reportingEvents.finalReportSubmitted,
  reportingEvents.finalReportAccepted,
  reportingEvents.finalReportRejected,
] as const;

/** A call's publication and where it stands; its budget is counted from the pilots' approvals. */
const callEventSchemas = [
  callEvents.published,
  callEvents.amended,
  callEvents.opened,
  callEvents.closed,
] as const;

export type PilotEvent = z.infer<(typeof pilotEventSchemas)[number]>;
export type CallEvent = z.infer<(typeof callEventSchemas)[number]>;

function readerOf<S extends readonly EventSchema[]>(schemas: S) {
  const byKey = new Map<string, EventSchema>(
    schemas.map((schema) => [`${schema.shape.type.value}@${schema.shape.version.value}`, schema]),
  );
  // The consumer has validated the envelope against its type already: this only narrows its type.
  return (event: AnyEnvelope): z.infer<S[number]> | undefined =>
    byKey.get(`${event.type}@${event.version}`)?.parse(event) as z.infer<S[number]> | undefined;
}

export const asPilotEvent = readerOf(pilotEventSchemas);
export const asCallEvent = readerOf(callEventSchemas);

export function pilotIdOf(event: PilotEvent): string {
  switch (event.type) {
    case 'application.submitted':
      return event.data.application.id;
    case 'application.withdrawn':
      return event.data.applicationId;
    default:
      return event.data.pilotId;
  }
}

export const callIdOf = (event: CallEvent): string =>
  'call' in event.data ? event.data.call.id : event.data.callId;

/** An instant in UTC with milliseconds: so written, instants compare as text, whatever offset they came with. */
export const utc = (instant: string): string => new Date(instant).toISOString();

/**
 * Orders two facts of one kind by the events that brought them: the later event wins, and its id
 * breaks a tie the same way in every replay.
 */
export const stampOf = (event: { occurredAt: string; id: string }): string =>
  `${utc(event.occurredAt)} ${event.id}`;

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A JSON value with every object's keys sorted: the same content gives the same value, however it was built. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, field]) => [key, canonical(field)]),
  );
}

/**
 * The greater of two values by `rank` (compared element by element), then by their canonical JSON:
 * a total order, so that keeping the greater of what is held and what arrives gives the same value
 * in any order of arrival.
 */
export function greater<T>(
  held: T | undefined,
  arriving: T,
  rank: (value: T) => readonly (string | number)[],
): T {
  if (held === undefined) return arriving;
  const [a, b] = [rank(held), rank(arriving)];
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : compareText(String(x), String(y));
    if (order !== 0) return order > 0 ? held : arriving;
  }
  return compareText(JSON.stringify(canonical(held)), JSON.stringify(canonical(arriving))) >= 0
    ? held
    : arriving;
}

export const earliest = (held: string | undefined, arriving: string): string =>
  held === undefined || arriving < held ? arriving : held;

export const latest = (held: string, arriving: string): string => (arriving > held ? arriving : held);

/** A set of numbers kept sorted, so that the same members give the same array. */
export const withMember = (set: readonly number[], member: number): number[] =>
  set.includes(member) ? [...set] : [...set, member].sort((a, b) => a - b);
