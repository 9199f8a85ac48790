import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** Message definitions shared by the workflow and its client (the samples' shared.ts layout). */
export const approveSignal = defineSignal<[approver: string]>('approve');
export const addNoteUpdate = defineUpdate<number, [note: string]>('addNote');
export const stageQuery = defineQuery<string>('stage');

export interface SmokeInput {
  timerMs: number;
}
