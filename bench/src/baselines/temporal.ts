import { isolation } from '@s3p/testkit';
import type { WorkflowHandle } from '@temporalio/client';
import { Client, Connection } from '@temporalio/client';
import type { LoadResult } from '../load';
import { closedLoop, loadFigures } from '../load';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';
import { summarise } from '../statistics';
import { cleanUp, phasesOf } from './common';
import { applicationDraft } from './fixtures';
import { startChild } from './servers/child';
import type { answerUpdates, awaitSignal } from './temporal-workflows';

/** Workflows in flight at once while measuring throughput (a smoke run: a few, to end in seconds). */
const workflowConcurrencyOf = (smoke: boolean) => (smoke ? 4 : 32);
/** Pilots a few people act on at once: signals and updates in flight. */
const messageConcurrencyOf = (smoke: boolean) => (smoke ? 2 : 8);

/**
 * B-temporal: bare workflows on the stack's Temporal dev server, a task queue of their own, the
 * worker in a process of its own (bundling the workflows of temporal-workflows.ts) and the
 * client here: workflows with one activity and with the eligibility stage's five, each started
 * and awaited in a closed loop (workflows/s, start latency, start-to-result latency); then the
 * round trip of a signal (sent until the workflow that waited for it has ended and its result is
 * read) and of an update (executeUpdate until its answer).
 */
export const bTemporal: Scenario = {
  id: 'B-temporal',
  async run(context: ScenarioContext): Promise<Figure[]> {
    const phases = phasesOf(context);
    const workflowConcurrency = workflowConcurrencyOf(context.smoke);
    const messageConcurrency = messageConcurrencyOf(context.smoke);
    const names = isolation('bench-temporal');
    const namespace = context.endpoints.TEMPORAL_NAMESPACE;
    const taskQueue = names.taskQueue;
    const began = performance.now();
    const worker = await startChild<{ taskQueue: string }>(
      'temporal-worker.ts',
      {
        TEMPORAL_ADDRESS: context.endpoints.TEMPORAL_ADDRESS,
        TEMPORAL_NAMESPACE: namespace,
        TASK_QUEUE: taskQueue,
      },
      120_000,
    );
    context.log(
      `B-temporal: the worker bundled its workflows and polls in ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
    const connection = await Connection.connect({ address: context.endpoints.TEMPORAL_ADDRESS });
    const client = new Client({ connection, namespace });
    const open = new Set<WorkflowHandle>();
    const idOf = (what: string, i: number, warmup: boolean) =>
      `${names.id}-${what}-${warmup ? 'w' : 'm'}${i}`;
    const payload = { ...applicationDraft(), callId: 'bench-call-0001' };
    const figures: Figure[] = [];
    try {
      // Started and awaited: throughput, start latency and start-to-result latency.
      const completed = async (
        what: string,
        workflow: 'oneActivity' | 'eligibilityStage',
        durationMs: number,
      ): Promise<{ result: LoadResult; starts: number[] }> => {
        const starts: number[] = [];
        const result = await closedLoop(
          workflowConcurrency,
          durationMs,
          async (i, call) => {
            const sent = performance.now();
            const handle = await client.workflow.start(workflow, {
              taskQueue,
              workflowId: idOf(what, i, call.warmup),
              args: [payload],
            });
            if (!call.warmup) starts.push(performance.now() - sent);
            open.add(handle);
            await handle.result();
            open.delete(handle);
          },
          { warmupMs: phases.warmupMs },
        );
        return { result, starts };
      };
      const tasksNote = (activities: number) =>
        `${activities} activit${activities === 1 ? 'y' : 'ies'}, ${activities + 1} workflow tasks each, ${workflowConcurrency} in flight`;

      const one = await completed('one', 'oneActivity', phases.measureMs);
      figures.push(...workflowFigures('one-activity workflow', one.result, one.starts, tasksNote(1)));
      const five = await completed('eligibility', 'eligibilityStage', phases.measureMs);
      figures.push(...workflowFigures('eligibility-stage workflow', five.result, five.starts, tasksNote(5)));

      // Signal: the workflow is started first (not timed), then the signal is sent and its result awaited.
      const signalled: number[] = [];
      const signals = await closedLoop(messageConcurrency, phases.shortMs, async (i, call) => {
        const handle = await client.workflow.start<typeof awaitSignal>('awaitSignal', {
          taskQueue,
          workflowId: idOf('signal', i, call.warmup),
        });
        open.add(handle);
        const sent = performance.now();
        await handle.signal('go');
        await handle.result();
        signalled.push(performance.now() - sent);
        open.delete(handle);
      });
      const signalLatency = summarise(signalled);
      const signalNote = `signal until the waiting workflow's result is read, ${messageConcurrency} in flight; ${signals.requests} signals`;
      figures.push(
        {
          scenario: bTemporal.id,
          metric: 'signal round trip p50',
          value: signalLatency.p50,
          unit: 'ms',
          note: signalNote,
        },
        {
          scenario: bTemporal.id,
          metric: 'signal round trip p99',
          value: signalLatency.p99,
          unit: 'ms',
          note: signalNote,
        },
      );

      // Update: one long-lived workflow per caller, each caller's updates one after another.
      const answering = await Promise.all(
        Array.from({ length: messageConcurrency }, async (_, caller) => {
          const handle = await client.workflow.start<typeof answerUpdates>('answerUpdates', {
            taskQueue,
            workflowId: idOf('update', caller, false),
          });
          open.add(handle);
          return handle;
        }),
      );
      const updates = await closedLoop(
        messageConcurrency,
        phases.shortMs,
        async (i, call) => {
          await answering[call.caller]!.executeUpdate('ping', { args: [i] });
        },
        { warmupMs: phases.warmupMs / 2 },
      );
      await Promise.all(
        answering.map(async (handle) => {
          await handle.signal('stop');
          await handle.result();
          open.delete(handle);
        }),
      );
      const updateNote = `executeUpdate until its answer, ${messageConcurrency} workflows, one update in flight each; ${updates.requests} updates`;
      figures.push(
        {
          scenario: bTemporal.id,
          metric: 'update round trip p50',
          value: updates.latency.p50,
          unit: 'ms',
          note: updateNote,
        },
        {
          scenario: bTemporal.id,
          metric: 'update round trip p99',
          value: updates.latency.p99,
          unit: 'ms',
          note: updateNote,
        },
      );
      context.log(
        `B-temporal: ${one.result.rps.toFixed(1)} and ${five.result.rps.toFixed(1)} workflows/s; ` +
          `signal p99 ${signalLatency.p99.toFixed(0)} ms, update p99 ${updates.latency.p99.toFixed(0)} ms`,
      );
      return figures;
    } finally {
      await cleanUp(context, [
        [
          'the open workflows',
          () =>
            Promise.all(
              [...open].map((handle) => handle.terminate('the bench is over').catch(() => undefined)),
            ),
        ],
        ['the client', () => connection.close()],
        ['the worker', () => worker.stop()],
      ]);
    }
  },
};

function workflowFigures(what: string, result: LoadResult, starts: number[], note: string): Figure[] {
  const start = summarise(starts);
  const [throughput, p50, p99] = loadFigures(bTemporal.id, what, result, note, 'workflows/s');
  return [
    { ...throughput!, metric: `${what}s started and awaited` },
    { ...p50!, metric: `${what} start to result p50` },
    { ...p99!, metric: `${what} start to result p99` },
    {
      scenario: bTemporal.id,
      metric: `${what} start p50`,
      value: start.p50,
      unit: 'ms',
      note: throughput!.note,
    },
    {
      scenario: bTemporal.id,
      metric: `${what} start p99`,
      value: start.p99,
      unit: 'ms',
      note: throughput!.note,
    },
  ];
}
