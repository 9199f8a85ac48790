import type { Actor, AnyEnvelope, CallSnapshot } from '@s3p/contracts';
import { callEvents } from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';
import type { CallField } from '../domain/call-rules';
import { callFieldNames } from '../domain/call-rules';
import type { StoredCall } from '../store/call-store';

export const eventSource = 'calls';

/** Who caused an event and in which chain of requests. */
export interface Cause {
  actor: Actor;
  correlationId: string;
}

/** The actor of what the call's timers do. */
export const scheduleActor: Actor = { kind: 'system', name: 'call-schedule' };

export function snapshotOf(call: StoredCall): CallSnapshot {
  const fields = Object.fromEntries(callFieldNames.map((field) => [field, call[field]]));
  return {
    id: call._id,
    status: call.status,
    ...(fields as Omit<CallSnapshot, 'id' | 'status' | 'committedBudget'>),
    committedBudget: call.committedBudget,
  };
}

const common = (call: StoredCall, cause: Cause, at: Date) => ({
  source: eventSource,
  subject: call._id,
  actor: cause.actor,
  correlationId: cause.correlationId,
  occurredAt: at,
});

export const callPublished = (call: StoredCall, cause: Cause, at: Date): AnyEnvelope =>
  newEvent(callEvents.published, { ...common(call, cause, at), data: { call: snapshotOf(call) } });

export const callAmended = (call: StoredCall, changed: CallField[], cause: Cause, at: Date): AnyEnvelope =>
  newEvent(callEvents.amended, { ...common(call, cause, at), data: { call: snapshotOf(call), changed } });

export const callOpened = (call: StoredCall, cause: Cause, at: Date): AnyEnvelope =>
  newEvent(callEvents.opened, {
    ...common(call, cause, at),
    data: { callId: call._id, openedAt: at.toISOString() },
  });

export const callClosed = (
  call: StoredCall,
  reason: 'deadline' | 'manual',
  cause: Cause,
  at: Date,
): AnyEnvelope =>
  newEvent(callEvents.closed, {
    ...common(call, cause, at),
    data: { callId: call._id, closedAt: at.toISOString(), reason },
  });

export const budgetReserved = (
  call: StoredCall,
  reservation: { applicationId: string; amount: number },
  committedBudget: number,
  cause: Cause,
  at: Date,
): AnyEnvelope =>
  newEvent(callEvents.budgetReserved, {
    ...common(call, cause, at),
    data: { callId: call._id, ...reservation, committedBudget },
  });
