import { MongoClient } from 'mongodb';
import { closedLoop, httpClient } from '../load';
import {
  awaitCallKnown,
  benchKafka,
  createApplication,
  demoRegions,
  commandsBetween,
  CpuMeter,
  ferretdbCommands,
  footprintOfLastBurst,
  LagProbe,
  type PortalUser,
  openBenchCall,
  outboxBacklog,
  RssSampler,
  servicePids,
  signIn,
  sleep,
  stackPids,
  StageWatch,
  submitApplication,
} from '../platform-probe';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';
import { summarise } from '../statistics';

/**
 * S1, a submission burst: region clients (each with its own token, the demo regions in turn)
 * create and submit complete applications through the portal as fast as they are answered, to
 * one call every demo region may apply to. Measured: the pairs and HTTP requests per second, the
 * submit call's latency, errors, the time until every pilot reached `evaluation` as seen on
 * `lifecycle.events`, and how long after the last accepted submission the platform's consumer
 * groups had no lag and its outboxes were empty (issue 9: within 10 s). The RSS of every service
 * and of the stack is sampled each second meanwhile, for the Footprint scenario.
 */
export const submissionBurst: Scenario = {
  id: 'S1 submission burst',
  async run(context: ScenarioContext): Promise<Figure[]> {
    const platform = await context.platform();
    const applications = context.smoke ? 10 : 2_000;
    // The burst stops after 45 s however far it got: the platform on FerretDB takes far longer
    // than the run's fifteen minutes allow for the 2,000.
    const burstMs = 45_000;
    const clients = context.smoke ? 8 : 64;
    const waitMs = context.smoke ? 60_000 : 30_000;
    const http = httpClient(clients + 4);
    const kafka = benchKafka(context.endpoints, 'bench-s1');
    const mongo = new MongoClient(context.endpoints.MONGODB_URI);
    let watch: StageWatch | undefined;
    let lag: LagProbe | undefined;
    const services = servicePids();
    const stack = stackPids(context.endpoints);
    const serviceMemory = new RssSampler(services);
    const stackMemory = new RssSampler(stack);
    const cpu = new CpuMeter(new Map([...services, ...stack]));
    try {
      const users: PortalUser[] = [];
      for (let i = 0; i < clients; i++) {
        users.push(await signIn(http, platform.portal, demoRegions[i % demoRegions.length]!.username));
      }
      const callId = await openBenchCall(http, platform.portal, 'S1 burst');
      await awaitCallKnown(users[0]!, callId);
      await mongo.connect();
      watch = await StageWatch.start(kafka, platform.topicPrefix, 'evaluation');
      lag = await LagProbe.start(kafka, platform.topicPrefix);
      await sleep(1_000);
      context.log(`S1: ${applications} applications by ${clients} region clients`);

      serviceMemory.start(1_000);
      stackMemory.start(1_000);
      cpu.start();
      const commandsBefore = await ferretdbCommands();
      const ids: string[] = [];
      const submitMs: number[] = [];
      let lastAccepted = 0;
      const started = performance.now();
      const burst = await closedLoop(
        clients,
        { count: applications, durationMs: burstMs },
        async (i, { caller }) => {
          const user = users[caller]!;
          const id = await createApplication(user, callId, i + 1);
          const sent = performance.now();
          await submitApplication(user, id);
          lastAccepted = performance.now();
          submitMs.push(lastAccepted - sent);
          ids.push(id);
        },
      );
      context.log(`S1: burst done in ${burst.seconds.toFixed(1)} s; waiting for evaluation and lag 0`);

      // Both from the end of the burst, side by side: every pilot in evaluation, and nothing left
      // in a consumer group's lag nor in an outbox.
      let peakLag = 0;
      const probe = lag;
      const drained = (async () => {
        const deadline = performance.now() + waitMs;
        while (performance.now() < deadline) {
          const { total } = await probe.lag();
          peakLag = Math.max(peakLag, total);
          if (total === 0 && (await outboxBacklog(mongo, platform.databasePrefix)).total === 0)
            return performance.now();
          await sleep(250);
        }
        return undefined;
      })();
      const reached = await watch.waitFor(ids, waitMs);
      const lagZeroAt = await drained;
      serviceMemory.stop();
      stackMemory.stop();
      footprintOfLastBurst.cpu = cpu.stop();
      const commandsAfter = await ferretdbCommands();
      footprintOfLastBurst.services = serviceMemory.peaks;
      footprintOfLastBurst.stack = stackMemory.peaks;
      footprintOfLastBurst.samples = serviceMemory.samples;
      footprintOfLastBurst.note = `during S1: ${applications} applications by ${clients} clients, sampled every 1 s`;

      const seen = ids.map((id) => watch!.seenAt(id)).filter((at): at is number => at !== undefined);
      const lastEvaluation = seen.length > 0 ? Math.max(...seen) : performance.now();
      const submit = summarise(submitMs);
      const note = `${clients} region clients, ${ids.length} of ${applications} applications submitted${
        ids.length < applications ? ` before the burst's ${burstMs / 1000} s ran out` : ''
      }, ${burst.errors} errors${burst.firstError ? ` (${burst.firstError.slice(0, 120)})` : ''}`;
      const id = submissionBurst.id;
      const figures: Figure[] = [
        { scenario: id, metric: 'create+submit pairs throughput', value: burst.rps, unit: 'pairs/s', note },
        {
          scenario: id,
          metric: 'HTTP requests throughput',
          value: (2 * ids.length) / burst.seconds,
          unit: 'req/s',
          note,
        },
        { scenario: id, metric: 'submit p50', value: submit.p50, unit: 'ms', note },
        { scenario: id, metric: 'submit p95', value: submit.p95, unit: 'ms', note },
        { scenario: id, metric: 'submit p99', value: submit.p99, unit: 'ms', note },
        { scenario: id, metric: 'create+submit pair p99', value: burst.latency.p99, unit: 'ms', note },
        { scenario: id, metric: 'errors', value: burst.errors, unit: 'requests', note },
        {
          scenario: id,
          metric: 'burst start to every pilot in evaluation (Kafka)',
          value: (lastEvaluation - started) / 1000,
          unit: 's',
          note:
            reached === ids.length
              ? `${reached} pilots`
              : `only ${reached} of ${ids.length} pilots within ${waitMs / 1000} s of the burst's end`,
        },
        {
          scenario: id,
          metric: 'pilots into evaluation',
          value: reached / ((lastEvaluation - started) / 1000),
          unit: 'pilots/s',
          note: `${reached} pilots, from the burst's start`,
        },
        {
          scenario: id,
          metric: 'last accepted submission to consumer lag 0 and outboxes empty',
          value: ((lagZeroAt ?? performance.now()) - lastAccepted) / 1000,
          unit: 's',
          target: { atMost: 10 },
          note:
            lagZeroAt === undefined
              ? `not drained within ${waitMs / 1000} s; polled every 250 ms`
              : 'lag of every consumer group of the platform, polled every 250 ms',
        },
        {
          scenario: id,
          metric: 'consumer lag peak after the burst',
          value: peakLag,
          unit: 'messages',
          note: 'sum over the platform’s consumer groups',
        },
      ];
      if (commandsBefore && commandsAfter && ids.length > 0) {
        // What the database was asked for each submission, across every service (issue 9 asks for
        // the bottleneck: FerretDB takes the largest share of the cores during S1).
        const commands = commandsBetween(commandsBefore, commandsAfter);
        const total = commands.reduce((sum, [, count]) => sum + count, 0);
        const seconds = (performance.now() - started) / 1000;
        const top = commands
          .slice(0, 6)
          .map(([command, count]) => `${command} ${(count / ids.length).toFixed(1)}`)
          .join(', ');
        const window = `FerretDB's own request counters, over the burst and the wait after it, every service's commands (${reached} of ${ids.length} submitted pilots reached evaluation meanwhile)`;
        figures.push(
          {
            scenario: id,
            metric: 'database commands per submitted application',
            value: total / ids.length,
            unit: 'commands',
            note: `${window}; per application: ${top}`,
          },
          {
            scenario: id,
            metric: 'database commands served',
            value: total / seconds,
            unit: 'commands/s',
            note: `${total} in ${seconds.toFixed(0)} s; ${window}`,
          },
        );
      }
      return figures;
    } finally {
      serviceMemory.stop();
      stackMemory.stop();
      await watch?.stop().catch(() => undefined);
      await lag?.stop().catch(() => undefined);
      await mongo.close().catch(() => undefined);
      http.close();
    }
  },
};
