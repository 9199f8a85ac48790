import { MongoClient } from 'mongodb';
import { httpClient } from '../load';
import type { PortalUser } from '../platform-probe';
import {
  awaitCallKnown,
  benchKafka,
  createApplication,
  demoRegions,
  every,
  LagProbe,
  openBenchCall,
  outboxBacklog,
  signIn,
  sleep,
  StageWatch,
  submitApplication,
} from '../platform-probe';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';
import { largestPeaks, summarise } from '../statistics';

/** What is sampled every 2 s: consumer lag and outbox backlog, in all and per group or outbox. */
interface Sample {
  lag: number;
  groups: Record<string, number>;
  outbox: number;
  outboxes: Record<string, number>;
}

/**
 * S1b, a steady flow: 10 applications a second (an open loop: each created and submitted on its
 * schedule, however long the earlier ones take), the demo regions in turn. Measured: from the
 * submit call's start to the pilot's `lifecycle.stage-changed` to `evaluation` seen on Kafka
 * (issue 9: p99 ≤ 500 ms, with no error), and the platform's consumer lag and outbox backlog,
 * sampled every 2 s (their peaks).
 */
export const steadyFlow: Scenario = {
  id: 'S1b steady flow',
  async run(context: ScenarioContext): Promise<Figure[]> {
    // A platform of its own: on S1's, the flow would be measured on top of S1's backlog.
    const platform = await context.freshPlatform();
    const perSecond = 10;
    const durationMs = context.smoke ? 3_000 : 300_000;
    const count = (perSecond * durationMs) / 1000;
    // Keeps the full run within its fifteen minutes: how long calls still unanswered after the
    // last was offered are waited for, and then the pilots not yet in evaluation.
    const tailMs = context.smoke ? 60_000 : 20_000;
    const http = httpClient(64);
    const kafka = benchKafka(context.endpoints, 'bench-s1b');
    const mongo = new MongoClient(context.endpoints.MONGODB_URI);
    let watch: StageWatch | undefined;
    let lag: LagProbe | undefined;
    let sampling: { stop(): Promise<Sample[]> } | undefined;
    try {
      const users: PortalUser[] = [];
      for (const region of demoRegions) users.push(await signIn(http, platform.portal, region.username));
      const callId = await openBenchCall(http, platform.portal, 'S1b steady flow');
      await awaitCallKnown(users[0]!, callId);
      await mongo.connect();
      watch = await StageWatch.start(kafka, platform.topicPrefix, 'evaluation');
      const probe = (lag = await LagProbe.start(kafka, platform.topicPrefix));
      await sleep(1_000);
      context.log(`S1b: ${perSecond} submissions/s for ${durationMs / 1000} s`);

      sampling = every(2_000, async () => {
        const lagNow = await probe.lag();
        const outboxNow = await outboxBacklog(mongo, platform.databasePrefix);
        return {
          lag: lagNow.total,
          groups: lagNow.groups,
          outbox: outboxNow.total,
          outboxes: outboxNow.outboxes,
        };
      });
      const submittedAt = new Map<string, number>();
      const submitMs: number[] = [];
      const errors: string[] = [];
      const flows: Promise<void>[] = [];
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const due = started + (i * 1000) / perSecond;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const user = users[i % users.length]!;
        flows.push(
          (async () => {
            try {
              const id = await createApplication(user, callId, i + 1);
              const sent = performance.now();
              await submitApplication(user, id);
              submitMs.push(performance.now() - sent);
              submittedAt.set(id, sent);
            } catch (error) {
              errors.push(error instanceof Error ? error.message : String(error));
            }
          })(),
        );
      }
      // An open loop the platform cannot keep up with queues calls without end: those not
      // answered soon after the last was offered count as failed, and the run goes on.
      const answered = await Promise.race([
        Promise.all(flows).then(() => true),
        sleep(tailMs).then(() => false),
      ]);
      const offeredSeconds = (performance.now() - started) / 1000;
      const unanswered = answered ? 0 : count - submittedAt.size - errors.length;
      const ids = [...submittedAt.keys()];
      const reached = await watch.waitFor(ids, tailMs);
      const samples = await sampling.stop();
      sampling = undefined;

      const latencies = ids
        .map((id) => (watch!.seenAt(id) ?? Number.NaN) - submittedAt.get(id)!)
        .filter((ms) => !Number.isNaN(ms));
      const toEvaluation = summarise(latencies.length > 0 ? latencies : [Number.NaN]);
      const failures = errors.length + unanswered + (ids.length - reached);
      const note = `${count} applications at ${perSecond}/s over ${durationMs / 1000} s${
        failures > 0
          ? `; ${errors.length} failed calls${errors[0] ? ` (${errors[0].slice(0, 120)})` : ''}, ${unanswered} unanswered ${tailMs / 1000} s after the last was offered, ${ids.length - reached} not in evaluation within ${tailMs / 1000} s more`
          : ''
      }`;
      const id = steadyFlow.id;
      return [
        {
          scenario: id,
          metric: 'submit to evaluation p50',
          value: toEvaluation.p50,
          unit: 'ms',
          note: `${note}; from the submit call's start to the stage change read on Kafka`,
        },
        {
          scenario: id,
          metric: 'submit to evaluation p99',
          value: toEvaluation.p99,
          unit: 'ms',
          target: { atMost: 500 },
          note: `${note}; from the submit call's start to the stage change read on Kafka`,
        },
        {
          scenario: id,
          metric: 'submit p99',
          value: summarise(submitMs.length ? submitMs : [Number.NaN]).p99,
          unit: 'ms',
          note,
        },
        { scenario: id, metric: 'errors', value: failures, unit: 'pilots', target: { atMost: 0 }, note },
        {
          scenario: id,
          metric: 'submissions accepted',
          value: ids.length / offeredSeconds,
          unit: 'req/s',
          note,
        },
        {
          scenario: id,
          metric: 'consumer lag peak',
          value: Math.max(0, ...samples.map((s) => s.lag)),
          unit: 'messages',
          note: `sum over the platform's consumer groups, ${samples.length} samples every 2 s; largest: ${largestPeaks(samples.map((s) => s.groups)) || 'none'}`,
        },
        {
          scenario: id,
          metric: 'outbox backlog peak',
          value: Math.max(0, ...samples.map((s) => s.outbox)),
          unit: 'events',
          note: `events waiting in the services' outboxes, ${samples.length} samples every 2 s; largest: ${largestPeaks(samples.map((s) => s.outboxes)) || 'none'}`,
        },
      ];
    } finally {
      await sampling?.stop().catch(() => undefined);
      await watch?.stop().catch(() => undefined);
      await lag?.stop().catch(() => undefined);
      await mongo.close().catch(() => undefined);
      http.close();
    }
  },
};
