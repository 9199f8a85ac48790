import type { AnyEnvelope, CallSnapshot, CallStatus } from '@s3p/contracts';
import { callEvents } from '@s3p/contracts';

/**
 * What this service knows of one call, built from `calls.events` alone. Events may arrive again
 * or out of order (a redelivery, a replay from a DLQ), so the projection only ever moves forward:
 * the content is the one carried by the latest event, and the status never goes back.
 */
export interface CallProjection {
  callId: string;
  /** The call's content as of `snapshotAt` (the time of the event that carried it). */
  snapshot?: CallSnapshot;
  snapshotAt?: string;
  status: CallStatus;
  openedAt?: string;
  closedAt?: string;
}

const statusOrder: readonly CallStatus[] = ['draft', 'scheduled', 'open', 'closed'];

/** The later of two statuses: a call goes draft → scheduled → open → closed, and closed is final. */
export const laterStatus = (a: CallStatus, b: CallStatus): CallStatus =>
  statusOrder.indexOf(a) >= statusOrder.indexOf(b) ? a : b;

const empty = (callId: string): CallProjection => ({ callId, status: 'draft' });

function withSnapshot(current: CallProjection | undefined, call: CallSnapshot, at: string): CallProjection {
  const base = current ?? empty(call.id);
  // Equal times: the later delivery wins, which is Kafka's order within the call's partition.
  const newer = base.snapshotAt === undefined || Date.parse(at) >= Date.parse(base.snapshotAt);
  return {
    ...base,
    ...(newer ? { snapshot: call, snapshotAt: at } : {}),
    status: laterStatus(base.status, call.status),
  };
}

/**
 * The projection after one event of the calls topic, or undefined when the event does not
 * concern it. Applying an event twice, or an older event after a newer one, changes nothing.
 */
export function projectCallEvent(
  current: CallProjection | undefined,
  event: AnyEnvelope,
): CallProjection | undefined {
  switch (event.type) {
    case callEvents.published.shape.type.value: {
      const { data, occurredAt } = callEvents.published.parse(event);
      return withSnapshot(current, data.call, occurredAt);
    }
    case callEvents.amended.shape.type.value: {
      const { data, occurredAt } = callEvents.amended.parse(event);
      return withSnapshot(current, data.call, occurredAt);
    }
    case callEvents.opened.shape.type.value: {
      const { data } = callEvents.opened.parse(event);
      const base = current ?? empty(data.callId);
      return { ...base, status: laterStatus(base.status, 'open'), openedAt: base.openedAt ?? data.openedAt };
    }
    case callEvents.closed.shape.type.value: {
      const { data } = callEvents.closed.parse(event);
      const base = current ?? empty(data.callId);
      return { ...base, status: 'closed', closedAt: base.closedAt ?? data.closedAt };
    }
    default:
      // Budget reservations and anything newer say nothing about whether a region may apply.
      return undefined;
  }
}

export type ApplicationWindow =
  | { open: true; call: CallSnapshot }
  | { open: false; reason: 'unknown' | 'not-open' | 'deadline'; detail: string };

/**
 * Whether a region may draft or submit for this call now. The deadline is checked on this
 * service's own clock, so a submission racing it is refused before `call.closed` arrives.
 */
export function applicationWindow(projection: CallProjection | undefined, now: Date): ApplicationWindow {
  const call = projection?.snapshot;
  if (!projection || !call) {
    return { open: false, reason: 'unknown', detail: 'there is no published call with this id' };
  }
  if (projection.status !== 'open') {
    return { open: false, reason: 'not-open', detail: `the call is ${projection.status}, not open` };
  }
  if (now.getTime() >= Date.parse(call.closesAt)) {
    return { open: false, reason: 'deadline', detail: `the call closed at ${call.closesAt}` };
  }
  return { open: true, call };
}

/**
 * The call whose rules a submission is checked against. A first submission needs the call open
 * (`applicationWindow`); a resubmission after a request for revision does not, as the call has
 * usually closed by then, but it is still checked against the call's rules as last published.
 */
export function submissionWindow(
  projection: CallProjection | undefined,
  now: Date,
  resubmission: boolean,
): ApplicationWindow {
  if (!resubmission) return applicationWindow(projection, now);
  const call = projection?.snapshot;
  if (!call) return { open: false, reason: 'unknown', detail: 'there is no published call with this id' };
  return { open: true, call };
}
