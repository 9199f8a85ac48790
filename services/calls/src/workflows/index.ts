import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ScheduleActivities } from '../activities/schedule';
import type { CallScheduleInput, CallScheduleView } from './messages';
import { closeSignal, rescheduleSignal, viewQuery } from './messages';

const { openCall, closeCall } = proxyActivities<ScheduleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Least pause before asking the database again when it says a date has not come yet (clock skew). */
const recheckMs = 1_000;

/**
 * One call's dates, from publication to closing: sleeps until the call opens, opens it, sleeps
 * until its deadline, closes it. New dates re-arm the sleep (the updatable-timer pattern); a
 * close by hand ends it. The activities read the call back, so a lost signal heals at the next
 * timer: the database, not this workflow, says where the call stands.
 */
export async function callSchedule(input: CallScheduleInput): Promise<CallScheduleView> {
  let view: CallScheduleView = {
    callId: input.callId,
    status: input.status,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    version: input.version,
  };
  let rearmed = false;
  let closedByHand = false;

  setHandler(viewQuery, () => view);
  setHandler(rescheduleSignal, (dates) => {
    if (dates.version <= view.version) return;
    view = { ...view, ...dates };
    rearmed = true;
  });
  setHandler(closeSignal, () => {
    closedByHand = true;
  });

  while (view.status !== 'closed' && !closedByHand) {
    const due = Date.parse(view.status === 'scheduled' ? view.opensAt : view.closesAt);
    rearmed = false;
    const wait = due - Date.now();
    // Woken by new dates or a close by hand: look again before acting.
    if (wait > 0 && (await condition(() => rearmed || closedByHand, wait))) continue;

    const before = view.status;
    const current =
      before === 'scheduled'
        ? await openCall(view.callId, input.correlationId)
        : await closeCall(view.callId, input.correlationId);
    if (!current) break;
    if (current.version >= view.version) view = current;
    if (view.status === before) await condition(() => rearmed || closedByHand, recheckMs);
  }
  if (closedByHand) view = { ...view, status: 'closed' };
  return view;
}
