import { condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { createActivities } from './activities';
import type { SmokeInput } from './shared';
import { addNoteUpdate, approveSignal, stageQuery } from './shared';

const { describeOutcome } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
});

/** A timer, an update with a validator, a signal, a query and an activity: every piece a pilot uses. */
export async function smokeWorkflow(input: SmokeInput): Promise<string> {
  let stage = 'timer';
  let approver: string | undefined;
  const notes: string[] = [];

  setHandler(stageQuery, () => stage);
  setHandler(approveSignal, (who) => {
    approver = who;
  });
  setHandler(
    addNoteUpdate,
    (note) => {
      notes.push(note);
      return notes.length;
    },
    {
      validator: (note) => {
        if (note.trim() === '') throw new Error('a note must not be empty');
      },
    },
  );

  await sleep(input.timerMs);
  stage = 'awaiting-approval';
  await condition(() => approver !== undefined);
  stage = 'describing';
  const outcome = await describeOutcome(approver!, notes);
  stage = 'done';
  return outcome;
}
