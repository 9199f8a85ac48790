import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * What the call's workflow and its client share (the samples' shared.ts layout). Only
 * `@temporalio/workflow` here: the workflow bundle may not pull in Node built-ins or drivers.
 */

export type ScheduledStatus = 'scheduled' | 'open' | 'closed';

/** The workflow's view of its call: where it stands and when its timers fire. */
export interface CallScheduleView {
  callId: string;
  status: ScheduledStatus;
  opensAt: string;
  closesAt: string;
  /** The call's version this view was taken at; an older reschedule is ignored. */
  version: number;
}

export interface CallScheduleInput extends CallScheduleView {
  /** Carried by the events the timers cause, so they join the publication's trail. */
  correlationId: string;
}

export type Reschedule = Pick<CallScheduleView, 'opensAt' | 'closesAt' | 'version'>;

/** New dates after an amendment: re-arms the timers. */
export const rescheduleSignal = defineSignal<[Reschedule]>('reschedule');
/** The call was closed by hand: the workflow ends. */
export const closeSignal = defineSignal<[]>('close');
export const viewQuery = defineQuery<CallScheduleView>('view');

export const callScheduleWorkflowType = 'callSchedule';
export const workflowIdOf = (callId: string) => `call-${callId}`;
