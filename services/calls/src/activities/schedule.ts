import { pushToOutbox } from '@s3p/messaging';
import type { CallScheduleView } from '../workflows/messages';
import { callClosed, callOpened, scheduleActor } from '../events/call-events';
import type { CallStore, StoredCall } from '../store/call-store';

export interface ScheduleActivityDependencies {
  store: CallStore;
  /** Wakes the outbox relay after a write that added events. */
  poke: () => void;
}

export type ScheduleActivities = ReturnType<typeof createScheduleActivities>;

function scheduleViewOf(call: StoredCall): CallScheduleView {
  return {
    callId: call._id,
    status: call.status === 'draft' ? 'scheduled' : call.status,
    opensAt: call.opensAt,
    closesAt: call.closesAt,
    version: call.version,
  };
}

/**
 * What the call's timers do. Each is one conditional write (the status it expects and a date
 * that has come), so a redelivered activity, or one racing a close by hand, changes nothing
 * twice and emits no second event. Each answers with the call as it now stands.
 */
export function createScheduleActivities({ store, poke }: ScheduleActivityDependencies) {
  async function read(callId: string): Promise<CallScheduleView | null> {
    const call = await store.find(callId);
    return call ? scheduleViewOf(call) : null;
  }

  return {
    async openCall(callId: string, correlationId: string): Promise<CallScheduleView | null> {
      const opened = await store.exclusive(callId, async (writer) => {
        const call = await writer.find();
        if (!call) return false;
        const now = new Date();
        return writer.update(
          { status: 'scheduled', opensAt: { $lte: now.toISOString() } },
          {
            $set: { status: 'open', openedAt: now, updatedAt: now },
            $inc: { version: 1 },
            $push: pushToOutbox([callOpened(call, { actor: scheduleActor, correlationId }, now)]),
          },
        );
      });
      if (opened) poke();
      return read(callId);
    },

    async closeCall(callId: string, correlationId: string): Promise<CallScheduleView | null> {
      const closed = await store.exclusive(callId, async (writer) => {
        const call = await writer.find();
        if (!call) return false;
        const now = new Date();
        return writer.update(
          { status: 'open', closesAt: { $lte: now.toISOString() } },
          {
            $set: { status: 'closed', closedAt: now, closeReason: 'deadline', updatedAt: now },
            $inc: { version: 1 },
            $push: pushToOutbox([callClosed(call, 'deadline', { actor: scheduleActor, correlationId }, now)]),
          },
        );
      });
      if (closed) poke();
      return read(callId);
    },
  };
}
