/**
 * B-temporal's workflows, bundled by the worker (its `workflowsPath`): bare ones, to measure what
 * the Temporal dev server and SDK allow on this machine before any pilot logic.
 */
import { condition, defineSignal, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

/** The activities the bench's worker registers; each returns at once. */
export interface BenchActivities {
  step(payload: unknown): Promise<void>;
  record(payload: unknown): Promise<void>;
  loadCall(callId: string): Promise<{ callId: string; passThreshold: number }>;
  checkEligibility(payload: unknown): Promise<string[]>;
}

const activities = proxyActivities<BenchActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const goSignal = defineSignal('go');
export const stopSignal = defineSignal('stop');
export const pingUpdate = defineUpdate<number, [number]>('ping');

/** One activity, then done: two workflow tasks and one activity task. */
export async function oneActivity(payload: unknown): Promise<void> {
  await activities.step(payload);
}

/**
 * As many activities, in the same order, as a pilot's way from its start to `evaluation` in the
 * lifecycle's workflow (services/lifecycle/src/workflows/pilot.ts): the record of `submitted`, the
 * record of `eligibility`, loadCall, checkEligibility and the record of `evaluation`: five
 * activities one after another, so six workflow tasks.
 */
export async function eligibilityStage(payload: { callId: string }): Promise<void> {
  await activities.record(payload);
  await activities.record(payload);
  const call = await activities.loadCall(payload.callId);
  const reasons = await activities.checkEligibility({ payload, call });
  if (reasons.length > 0) throw new Error('the bench application is eligible');
  await activities.record(payload);
}

/** Waits for `go`, then ends: a signal's way to the workflow and its result's way back. */
export async function awaitSignal(): Promise<void> {
  let received = false;
  setHandler(goSignal, () => {
    received = true;
  });
  await condition(() => received);
}

/** Answers `ping` updates with their count until `stop`: an update's round trip. */
export async function answerUpdates(): Promise<number> {
  let pings = 0;
  let stopped = false;
  setHandler(pingUpdate, () => ++pings);
  setHandler(stopSignal, () => {
    stopped = true;
  });
  await condition(() => stopped);
  return pings;
}
