import { Client, Connection } from '@temporalio/client';
import type { StageChangeSeen } from '../lifecycle-bots';
import {
  LifecycleBots,
  OutOfTime,
  openLifecycleCall,
  PilotTap,
  signInPeople,
  staffThePools,
} from '../lifecycle-bots';
import { httpClient } from '../load';
import { awaitCallKnown, benchKafka, every, LagProbe } from '../platform-probe';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';
import { summarise } from '../statistics';

/** How much of a whole-lifecycle run there is: pilots, how many at once, and the time it may take. */
interface Plan {
  pilots: number;
  inFlight: number;
  /** From the first measured pilot's start: no bot waits past it, none starts a pilot it could not finish. */
  driveMs: number;
  /** How long a bot waits for one thing (a stage, an invitation) before it calls the pilot failed. */
  stepTimeoutMs: number;
  /** Closed pilots whose workflow histories are read for the task counts and latencies. */
  sampled: number;
}

/**
 * Eight pilots at once: on two cores the platform is saturated by then (three at once close about
 * as many a minute; the activities' database writes are the bottleneck). In a trial at 32 a pilot
 * queued for longer than the whole budget: the run measured the queue, not the lifecycle, and
 * fewer pilots closed.
 */
const planOf = (smoke: boolean): Plan =>
  smoke
    ? { pilots: 3, inFlight: 3, driveMs: 90_000, stepTimeoutMs: 60_000, sampled: 3 }
    : { pilots: 500, inFlight: 8, driveMs: 80_000, stepTimeoutMs: 60_000, sampled: 24 };

/** A bot starts another pilot only while this many times the longest pilot so far still fits. */
const marginOfLongest = 1.5;

/**
 * S2, the whole lifecycle (issue 9): bot users drive pilots through every stage to `closed`
 * through the portal — submitted, eligibility, evaluation by two reviewers, the approver's
 * decision, the expert team's acceptance, two milestones reported and verified, the final report
 * accepted — many at once. The milestones fall due the days after the call closes (see
 * openLifecycleCall), so their reminders go out by the platform's own rules; nothing is skipped.
 * Measured: pilots closed per minute (first submit to the last `closed` read on Kafka), time in
 * each stage (from the stage changes' timestamps), the HTTP round trip of the human steps that
 * are Temporal updates, the workflow tasks per pilot (the pilot's workflow and its expert team's)
 * with their latency and the activities' latency, from a sample of those workflows' histories,
 * and the peak consumer lag. Bounded in time: when
 * the budget runs out no new pilot starts, and those not closed are reported as unfinished.
 */
export const wholeLifecycle: Scenario = {
  id: 'S2 whole lifecycle',
  async run(context: ScenarioContext): Promise<Figure[]> {
    // S1 and S1b leave work behind that would compete with this scenario's pilots.
    const platform = await context.freshPlatform();
    const plan = planOf(context.smoke);
    const http = httpClient(4 * plan.inFlight + 8);
    const kafka = benchKafka(context.endpoints, 'bench-s2');
    let tap: PilotTap | undefined;
    let lag: LagProbe | undefined;
    let sampling: { stop(): Promise<number[]> } | undefined;
    let progress: { stop(): Promise<void[]> } | undefined;
    let connection: Connection | undefined;
    try {
      const setupStarted = performance.now();
      const people = await signInPeople(http, platform.portal);
      await staffThePools(people.manager);
      const call = await openLifecycleCall(people.manager, 'S2 whole lifecycle');
      tap = await PilotTap.start(kafka, platform.topicPrefix);
      const probe = (lag = await LagProbe.start(kafka, platform.topicPrefix));

      // The first application waits for the call to reach the applications service; its pilot is
      // then driven to `closed`, unmeasured: every path warm, and a first idea of a pilot's length.
      const warmupStarted = performance.now();
      const warmupId = await awaitCallKnown(people.regions[0]!, call.callId);
      await new LifecycleBots(people, tap, call).live(warmupId, people.regions[0]!, 0, {
        stepTimeoutMs: plan.stepTimeoutMs,
        deadline: warmupStarted + plan.driveMs,
      });
      const warmupMs = performance.now() - warmupStarted;
      context.log(
        `S2: set up in ${((warmupStarted - setupStarted) / 1000).toFixed(1)} s, a first pilot closed in ` +
          `${(warmupMs / 1000).toFixed(1)} s; ${plan.pilots} pilots, ${plan.inFlight} at once, ` +
          `for at most ${plan.driveMs / 1000} s`,
      );

      const bots = new LifecycleBots(people, tap, call);
      const seen = tap.pilots;
      const submitted: string[] = [];
      const closed: string[] = [];
      const errors: string[] = [];
      let unfinished = 0;
      let next = 0;
      let longest = warmupMs;
      let firstSubmit: number | undefined;
      sampling = every(2_000, async () => (await probe.lag()).total);
      progress = every(20_000, async () =>
        context.log(`S2: ${submitted.length} submitted, ${closed.length} closed, ${errors.length} failed`),
      );
      const driveStarted = performance.now();
      const deadline = driveStarted + plan.driveMs;
      const bot = async (): Promise<void> => {
        while (next < plan.pilots && performance.now() + marginOfLongest * longest < deadline) {
          const n = ++next;
          const started = performance.now();
          try {
            const { pilotId, region } = await bots.apply(n);
            firstSubmit ??= performance.now();
            await bots.submit(pilotId, region);
            submitted.push(pilotId);
            await bots.live(pilotId, region, n, { stepTimeoutMs: plan.stepTimeoutMs, deadline });
            closed.push(pilotId);
            longest = Math.max(longest, performance.now() - started);
          } catch (error) {
            if (error instanceof OutOfTime) unfinished += 1;
            else errors.push(error instanceof Error ? error.message : String(error));
          }
        }
      };
      await Promise.all(Array.from({ length: plan.inFlight }, bot));
      const lagSamples = await sampling.stop();
      sampling = undefined;
      await progress.stop();
      progress = undefined;
      const driveSeconds = (performance.now() - driveStarted) / 1000;
      context.log(
        `S2: ${closed.length} of ${next} pilots closed in ${driveSeconds.toFixed(1)} s, ` +
          `${unfinished} unfinished, ${errors.length} failed${errors[0] ? ` (${errors[0].slice(0, 200)})` : ''}`,
      );

      const closedAt = closed.map((id) => seen.get(id)!.reachedAt.get('closed')!);
      const lastClosed = closedAt.length > 0 ? Math.max(...closedAt) : performance.now();
      const rate = perMinute(closed.length, firstSubmit ?? driveStarted, lastClosed);
      const stageTimes = timeInStages(closed.map((id) => seen.get(id)!.changes));

      // The sample's histories: every run of each pilot's workflow and of its expert team's.
      connection = await Connection.connect({ address: context.endpoints.TEMPORAL_ADDRESS });
      const temporal = new Client({ connection, namespace: context.endpoints.TEMPORAL_NAMESPACE });
      let pilotTasks = 0;
      let teamTasks = 0;
      const taskLatencies: number[] = [];
      const activityLatencies: number[] = [];
      const sample = evenlySpaced(closed, plan.sampled);
      for (const pilotId of sample) {
        for (const [workflowId, count] of [
          [pilotId, (tasks: number) => (pilotTasks += tasks)],
          [`team-${pilotId}`, (tasks: number) => (teamTasks += tasks)],
        ] as const) {
          for (const events of await runsOf(temporal, workflowId)) {
            const { workflowTasks, workflowTaskMs, activityMs } = tasksOf(events);
            count(workflowTasks);
            taskLatencies.push(...workflowTaskMs);
            activityLatencies.push(...activityMs);
          }
        }
      }

      const updates = summarise(bots.updates.length > 0 ? bots.updates.map((u) => u.ms) : [Number.NaN]);
      const updateSteps = [...new Set(bots.updates.map((u) => u.step))]
        .map((step) => {
          const { p99, count } = summarise(bots.updates.filter((u) => u.step === step).map((u) => u.ms));
          return `${step} p99 ${p99.toFixed(0)} ms of ${count}`;
        })
        .join(', ');
      const taskLatency = summarise(taskLatencies.length > 0 ? taskLatencies : [Number.NaN]);
      const activityLatency = summarise(activityLatencies.length > 0 ? activityLatencies : [Number.NaN]);
      const tasksPerPilot = sample.length > 0 ? (pilotTasks + teamTasks) / sample.length : Number.NaN;
      const budget =
        next < plan.pilots || unfinished > 0
          ? `; the ${plan.driveMs / 1000} s budget left no room for more: ${plan.pilots - next} of ${plan.pilots} never started, ${unfinished} started but unfinished`
          : '';
      const note = `${closed.length} of ${next} pilots closed, ${plan.inFlight} at once${budget}`;
      const id = wholeLifecycle.id;
      const figures: Figure[] = [
        { scenario: id, metric: 'pilots closed', value: closed.length, unit: 'pilots', note },
        {
          scenario: id,
          metric: 'pilots closed per minute',
          value: rate,
          unit: 'pilots/min',
          note: `${note}; from the first submit to the last \`closed\` read on Kafka`,
        },
      ];
      for (const [stage, times] of stageTimes) {
        const { p50, p99, count } = summarise(times);
        const stageNote = `${count} pilots, between the stage changes' timestamps on lifecycle.events`;
        figures.push(
          { scenario: id, metric: `time in ${stage} p50`, value: p50, unit: 'ms', note: stageNote },
          { scenario: id, metric: `time in ${stage} p99`, value: p99, unit: 'ms', note: stageNote },
        );
      }
      const updateNote = `HTTP round trip through the portal of the steps that are Temporal updates: ${updateSteps || 'none'}`;
      const sampleNote = `${sample.length} closed pilots' workflow histories, every run`;
      figures.push(
        { scenario: id, metric: 'update round trip p50', value: updates.p50, unit: 'ms', note: updateNote },
        {
          scenario: id,
          metric: 'update round trip p99',
          value: updates.p99,
          unit: 'ms',
          target: { atMost: 100 },
          note: updateNote,
        },
        {
          scenario: id,
          metric: 'workflow task latency p50',
          value: taskLatency.p50,
          unit: 'ms',
          note: `${sampleNote}; WorkflowTaskScheduled to WorkflowTaskCompleted, ${taskLatency.count} tasks`,
        },
        {
          scenario: id,
          metric: 'workflow task latency p99',
          value: taskLatency.p99,
          unit: 'ms',
          note: `${sampleNote}; WorkflowTaskScheduled to WorkflowTaskCompleted, ${taskLatency.count} tasks`,
        },
        {
          scenario: id,
          metric: 'activity latency p50',
          value: activityLatency.p50,
          unit: 'ms',
          note: `${sampleNote}; ActivityTaskScheduled to ActivityTaskCompleted, ${activityLatency.count} activities`,
        },
        {
          scenario: id,
          metric: 'activity latency p99',
          value: activityLatency.p99,
          unit: 'ms',
          note: `${sampleNote}; ActivityTaskScheduled to ActivityTaskCompleted, ${activityLatency.count} activities`,
        },
        {
          scenario: id,
          metric: 'workflow tasks per pilot',
          value: tasksPerPilot,
          unit: 'tasks',
          note:
            `${sampleNote}: WorkflowTaskCompleted, ${(pilotTasks / Math.max(1, sample.length)).toFixed(1)} in the pilot's ` +
            `workflow (both runs), ${(teamTasks / Math.max(1, sample.length)).toFixed(1)} in its expert team's`,
        },
        {
          scenario: id,
          metric: 'consumer lag peak',
          value: Math.max(0, ...lagSamples),
          unit: 'messages',
          note: `sum over the platform's consumer groups, ${lagSamples.length} samples every 2 s`,
        },
        {
          scenario: id,
          metric: 'errors',
          value: errors.length,
          unit: 'pilots',
          target: { atMost: 0 },
          note: errors[0] ? `${note}; first: ${errors[0].slice(0, 160)}` : note,
        },
      );
      return figures;
    } finally {
      await sampling?.stop().catch(() => undefined);
      await progress?.stop().catch(() => undefined);
      await tap?.stop().catch(() => undefined);
      await lag?.stop().catch(() => undefined);
      await connection?.close().catch(() => undefined);
      http.close();
    }
  },
};

/** Pilots per minute over a span of performance.now() milliseconds. */
export function perMinute(count: number, fromMs: number, toMs: number): number {
  return toMs > fromMs ? count / ((toMs - fromMs) / 60_000) : Number.NaN;
}

/**
 * Milliseconds each pilot spent in each stage it left, by stage, from its changes' timestamps:
 * sorted by sequence (Kafka may deliver a pilot's changes twice, never out of order within it,
 * but the caller's list need not be sorted). A stage entered twice counts each stay. Stages come
 * in the order pilots went through them.
 */
export function timeInStages(pilots: Iterable<readonly StageChangeSeen[]>): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const changes of pilots) {
    const ordered = [...new Map(changes.map((change) => [change.sequence, change])).values()].sort(
      (a, b) => a.sequence - b.sequence,
    );
    for (let i = 0; i + 1 < ordered.length; i++) {
      const { to, at } = ordered[i]!;
      let stays = times.get(to);
      if (!stays) times.set(to, (stays = []));
      stays.push(ordered[i + 1]!.at - at);
    }
  }
  return times;
}

/** A 64-bit integer as Temporal's protobufs carry it (a Long), or a plain number. */
type Int64 = number | { toNumber(): number } | null | undefined;

/** What this scenario reads of a Temporal history event (structurally, temporal.api.history.v1.IHistoryEvent). */
export interface HistoryEventLike {
  eventId?: Int64;
  eventTime?: { seconds?: Int64; nanos?: number | null } | null;
  workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string | null } | null;
  workflowTaskScheduledEventAttributes?: unknown;
  workflowTaskCompletedEventAttributes?: { scheduledEventId?: Int64 } | null;
  activityTaskScheduledEventAttributes?: unknown;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: Int64 } | null;
}

const numberOf = (value: Int64): number =>
  value === null || value === undefined ? Number.NaN : typeof value === 'number' ? value : value.toNumber();

const msOf = (time: HistoryEventLike['eventTime']): number =>
  time ? numberOf(time.seconds) * 1000 + (time.nanos ?? 0) / 1e6 : Number.NaN;

/**
 * The tasks of one run: how many workflow tasks were completed, and for each workflow task and
 * each completed activity the time from its scheduling to its completion (queueing, the worker's
 * pick-up and its run; an activity's retries included).
 */
export function tasksOf(events: readonly HistoryEventLike[]): {
  workflowTasks: number;
  workflowTaskMs: number[];
  activityMs: number[];
} {
  const scheduledAt = new Map<number, number>();
  const workflowTaskMs: number[] = [];
  const activityMs: number[] = [];
  const took = (into: number[], scheduledEventId: Int64, time: HistoryEventLike['eventTime']) => {
    const scheduled = scheduledAt.get(numberOf(scheduledEventId));
    const ms = scheduled === undefined ? Number.NaN : msOf(time) - scheduled;
    if (!Number.isNaN(ms)) into.push(ms);
  };
  let workflowTasks = 0;
  for (const event of events) {
    if (event.workflowTaskScheduledEventAttributes || event.activityTaskScheduledEventAttributes) {
      scheduledAt.set(numberOf(event.eventId), msOf(event.eventTime));
    }
    if (event.workflowTaskCompletedEventAttributes) {
      workflowTasks += 1;
      took(workflowTaskMs, event.workflowTaskCompletedEventAttributes.scheduledEventId, event.eventTime);
    }
    if (event.activityTaskCompletedEventAttributes) {
      took(activityMs, event.activityTaskCompletedEventAttributes.scheduledEventId, event.eventTime);
    }
  }
  return { workflowTasks, workflowTaskMs, activityMs };
}

/** The run this one continued (continue-as-new), from its first event. */
export function continuedFrom(events: readonly HistoryEventLike[]): string | undefined {
  return events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
}

/** At most `count` of the items, spread evenly over them (the first always among them). */
export function evenlySpaced<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

/** Every run of a workflow, the latest first, following continue-as-new back to the first. */
async function runsOf(client: Client, workflowId: string): Promise<HistoryEventLike[][]> {
  const runs: HistoryEventLike[][] = [];
  let runId: string | undefined;
  do {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    runs.push(events);
    runId = continuedFrom(events);
  } while (runId && runs.length < 20);
  return runs;
}
