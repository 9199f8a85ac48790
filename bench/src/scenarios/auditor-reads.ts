import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AnyEnvelope } from '@s3p/contracts';
import { validateEvent } from '@s3p/contracts';
import type { ServiceName } from '@s3p/infra-local';
import { serviceEntry, serviceEnvironments, serviceNames, waitUntilReady } from '@s3p/infra-local';
import type { Platform } from '@s3p/testkit';
import { freePorts, isolation } from '@s3p/testkit';
import type { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { closedLoop, httpClient } from '../load';
import type { HttpClient } from '../load';
import type { PortalUser } from '../platform-probe';
import {
  benchKafka,
  commandsBetween,
  ferretdbCommands,
  createApplication,
  demoRegions,
  LagProbe,
  openBenchCall,
  awaitCallKnown,
  signIn,
  sleep,
  StageWatch,
  submitApplication,
} from '../platform-probe';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';
import { summarise } from '../statistics';

/**
 * S3, an auditor's reads at scale. Loading 10,000 pilots through the platform does not fit the
 * benchmark's time on two cores, so the reporting service is loaded from the wire, as it is in
 * production: a portal and a reporting service of this scenario's own (own topics and database)
 * are fed every event the shared platform has carried so far (S2's pilots, unchanged),
 * then copies of those pilots under new ids (new event, correlation and pilot ids; half of them
 * taken on by synthetic stage changes to `implementation`, with work plans due in the past, so
 * that the overdue list has rows), each copy validated against the contracts, until 10,000 pilots
 * or the loading time is up. Nothing else consumes these topics, so no workflow, mail or team
 * follows from them. Then, as the auditor through that portal: the dashboard, pilots' timelines,
 * the overdue milestones and the verification of the whole audit chain (issue 9: each read p99
 * ≤ 200 ms, verification ≥ 100,000 entries/s).
 */
export const auditorReads: Scenario = {
  id: 'S3 auditor reads',
  async run(context: ScenarioContext): Promise<Figure[]> {
    const platform = await context.platform();
    const target = context.smoke ? 60 : 10_000;
    const loadingMs = context.smoke ? 20_000 : 45_000;
    const http = httpClient(16);
    const kafka = benchKafka(context.endpoints, 'bench-s3');
    let reporting: Reporting | undefined;
    try {
      let wire = await readAll(kafka, platformTopics(platform.topicPrefix));
      if (templatesOf(wire).length === 0) {
        context.log('S3: no pilot in evaluation on the platform yet: submitting three');
        await submitSome(context, platform, http, kafka, 3);
        wire = await readAll(kafka, platformTopics(platform.topicPrefix));
      }
      const templates = templatesOf(wire);
      if (templates.length === 0) throw new Error('no pilot reached evaluation to copy');
      reporting = await startReporting(context);
      const loaded = await load(context, kafka, reporting, wire, templates, target, loadingMs);
      context.log(
        `S3: ${loaded.pilots} pilots loaded (${loaded.real} through the platform), ${loaded.events} events in ${loaded.seconds.toFixed(0)} s${loaded.drained ? '' : ' (not drained)'}`,
      );
      return await measureReads(context, http, reporting, loaded);
    } finally {
      await reporting
        ?.stop()
        .catch((error: unknown) => context.log(`S3: cleaning up failed: ${String(error)}`));
      http.close();
    }
  },
};

const topicNames = ['calls', 'applications', 'lifecycle', 'experts', 'reporting'] as const;
const platformTopics = (prefix: string) => topicNames.map((name) => `${prefix}${name}.events`);

/** An event as read from a topic, in its topic's order (one subject's events are in one partition). */
export interface WireEvent {
  /** The topic without the platform's prefix: `lifecycle.events`. */
  topic: string;
  event: AnyEnvelope;
}

/** Every valid event of the topics, from their beginning to their end at the time of the call. */
async function readAll(kafka: Kafka, topics: string[]): Promise<WireEvent[]> {
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, number>();
  let existing: string[];
  try {
    const known = new Set(await admin.listTopics());
    existing = topics.filter((topic) => known.has(topic));
    for (const topic of existing) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (Number(high) > Number(low)) remaining.set(`${topic}:${partition}`, Number(high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const read: (WireEvent & { partition: number; offset: number })[] = [];
  if (remaining.size === 0) return [];
  const consumer = kafka.consumer({ groupId: `bench-read-${randomUUID()}` });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: existing, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('reading the platform topics took over 120 s')),
        120_000,
      );
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          const checked = validateEvent(JSON.parse(message.value?.toString('utf8') ?? 'null'));
          const offset = Number(message.offset);
          if (checked.ok) {
            const short = topicNames.find((name) => topic.endsWith(`${name}.events`))!;
            read.push({ topic: `${short}.events`, event: checked.event, partition, offset });
          }
          const key = `${topic}:${partition}`;
          if (offset + 1 >= (remaining.get(key) ?? Number.POSITIVE_INFINITY)) {
            remaining.delete(key);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return read.map(({ topic, event }) => ({ topic, event }));
}

/** A pilot that reached evaluation: its events on `applications.events` then `lifecycle.events`. */
export interface PilotTemplate {
  pilotId: string;
  events: WireEvent[];
}

/** The pilots whose whole story from their draft to `evaluation` is on the wire. */
export function templatesOf(wire: readonly WireEvent[]): PilotTemplate[] {
  const bySubject = new Map<string, WireEvent[]>();
  for (const item of wire) {
    if (item.topic !== 'applications.events' && item.topic !== 'lifecycle.events') continue;
    const list = bySubject.get(item.event.subject) ?? [];
    list.push(item);
    bySubject.set(item.event.subject, list);
  }
  const templates: PilotTemplate[] = [];
  for (const [pilotId, events] of bySubject) {
    const drafted = events.some((e) => e.event.type === 'application.drafted');
    const submitted = events.some((e) => e.event.type === 'application.submitted');
    const evaluating = events.some(
      (e) =>
        e.event.type === 'lifecycle.stage-changed' &&
        (e.event.data as { to?: string } | undefined)?.to === 'evaluation',
    );
    if (drafted && submitted && evaluating) {
      // Applications' events first: the lifecycle answers them.
      events.sort((a, b) => (a.topic === b.topic ? 0 : a.topic === 'applications.events' ? -1 : 1));
      templates.push({ pilotId, events });
    }
  }
  return templates;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A copy of a pilot under a new id: every event, correlation and causation id and the pilot's id
 * replaced consistently. With `implementation`, its work plan falls due on those past days and
 * three more stage changes take it from `evaluation` to `implementation`. Every event of the copy
 * is checked against the contracts.
 */
export function clonePilot(
  template: PilotTemplate,
  newPilotId: string,
  implementation?: { dueDates: string[]; at: Date },
): WireEvent[] {
  const ids = new Map<string, string>([[template.pilotId, newPilotId]]);
  for (const { event } of template.events) {
    for (const id of [event.id, event.correlationId, event.causationId]) {
      if (id && uuidPattern.test(id) && !ids.has(id)) ids.set(id, randomUUID());
    }
  }
  const copies = template.events.map(({ topic, event }) => {
    let text = JSON.stringify(event);
    for (const [from, to] of ids) text = text.split(from).join(to);
    return { topic, event: JSON.parse(text) as AnyEnvelope };
  });
  if (implementation) {
    const submitted = copies.find((c) => c.event.type === 'application.submitted');
    const plan = (submitted?.event.data as { application?: { workPlan?: { dueDate: string }[] } })
      ?.application?.workPlan;
    plan?.forEach((milestone, index) => {
      milestone.dueDate = implementation.dueDates[index % implementation.dueDates.length]!;
    });
    const changes = copies.filter((c) => c.event.type === 'lifecycle.stage-changed');
    const last = changes.at(-1)!.event;
    const facts = last.data as {
      pilotId: string;
      callId: string;
      pilotType: string;
      region: string;
      partners: string[];
      sequence: number;
    };
    const steps: [string, string, string][] = [
      ['evaluation', 'decision', 'The reviews are in (synthetic, benchmark).'],
      ['decision', 'expert-team', 'Approved (synthetic, benchmark).'],
      ['expert-team', 'implementation', 'The expert team is complete (synthetic, benchmark).'],
    ];
    steps.forEach(([from, to, reason], index) => {
      copies.push({
        topic: 'lifecycle.events',
        event: {
          id: randomUUID(),
          type: 'lifecycle.stage-changed',
          version: 1,
          source: 'lifecycle',
          subject: newPilotId,
          occurredAt: new Date(implementation.at.getTime() + index).toISOString(),
          correlationId: last.correlationId,
          causationId: null,
          actor: { kind: 'system', name: 'bench' },
          data: {
            pilotId: facts.pilotId,
            callId: facts.callId,
            pilotType: facts.pilotType,
            region: facts.region,
            partners: facts.partners,
            sequence: facts.sequence + index + 1,
            from,
            to,
            reason,
          },
        },
      });
    });
  }
  for (const { event } of copies) {
    const checked = validateEvent(event);
    if (!checked.ok)
      throw new Error(
        `a copied ${event.type} breaks its contract: ${checked.reason} ${JSON.stringify(checked.issues)}`,
      );
  }
  return copies;
}

// --- The scenario's own portal and reporting service ------------------------------------------------

interface Reporting {
  portal: string;
  topicPrefix: string;
  database: string;
  stop(): Promise<void>;
}

async function startReporting(context: ScenarioContext): Promise<Reporting> {
  const names = isolation('bench-s3');
  const namePrefix = `${names.database}_`;
  const ports = {} as Record<ServiceName, number>;
  const free = await freePorts(serviceNames.length);
  serviceNames.forEach((name, i) => (ports[name] = free[i]!));
  const logDir = mkdtempSync(path.join(tmpdir(), `s3p-bench-s3-`));
  const mongoBase = new URL(context.endpoints.MONGODB_URI);
  mongoBase.pathname = '/';
  const environments = serviceEnvironments({
    ports,
    kafkaBrokers: context.endpoints.KAFKA_BROKERS,
    mongoUri: mongoBase.toString(),
    temporalAddress: context.endpoints.TEMPORAL_ADDRESS,
    smtpUrl: context.endpoints.SMTP_URL,
    namePrefix,
    portalKeyDir: path.join(logDir, 'portal-key'),
    logLevel: 'warn',
  });
  const children: ChildProcess[] = [];
  const topicPrefix = environments.reporting.TOPIC_PREFIX!;
  const database = `${namePrefix}s3p_reporting`;
  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    }
    // Its topics and database only served this run: they go, so that the stack does not fill up.
    const admin = benchKafka(context.endpoints, 'bench-s3-cleanup').admin();
    await admin.connect();
    try {
      const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours });
      const { groups } = await admin.listGroups();
      const groupIds = groups.map((g) => g.groupId).filter((id) => id.startsWith(topicPrefix));
      if (groupIds.length > 0) await admin.deleteGroups(groupIds).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
    const mongo = new MongoClient(context.endpoints.MONGODB_URI);
    try {
      await mongo.connect();
      await mongo.db(database).dropDatabase();
    } finally {
      await mongo.close();
    }
    rmSync(logDir, { recursive: true, force: true });
  };
  const start = async (name: ServiceName) => {
    const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['--enable-source-maps', serviceEntry(name)], {
      env: { ...process.env, NODE_ENV: 'test', ...environments[name] },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    children.push(child);
    await waitUntilReady(
      `http://127.0.0.1:${ports[name]}`,
      60_000,
      () => child.exitCode === null && child.signalCode === null,
    );
  };
  try {
    await start('portal');
    await start('reporting');
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { portal: `http://127.0.0.1:${ports.portal}`, topicPrefix, database, stop };
}

// --- Loading ----------------------------------------------------------------------------------------

interface Loaded {
  pilots: number;
  real: number;
  events: number;
  seconds: number;
  drained: boolean;
  pilotIds: string[];
  /** The database commands the loading cost, by command, when FerretDB tells. */
  commands?: [string, number][];
}

async function load(
  context: ScenarioContext,
  kafka: Kafka,
  reporting: Reporting,
  wire: WireEvent[],
  templates: PilotTemplate[],
  target: number,
  loadingMs: number,
): Promise<Loaded> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const lag = await LagProbe.start(kafka, reporting.topicPrefix);
  await producer.connect();
  const commandsBefore = await ferretdbCommands();
  const started = performance.now();
  const deadline = started + loadingMs;
  let events = 0;
  const publish = async (items: readonly WireEvent[]) => {
    for (let from = 0; from < items.length; from += 500) {
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const { topic, event } of items.slice(from, from + 500)) {
        const list = byTopic.get(topic) ?? [];
        list.push({ key: event.subject, value: JSON.stringify(event) });
        byTopic.set(topic, list);
      }
      await producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, messages]) => ({
          topic: `${reporting.topicPrefix}${topic}`,
          messages,
        })),
      });
      events += Math.min(500, items.length - from);
    }
  };
  const drain = async (until: number) => {
    await sleep(500);
    while (performance.now() < until) {
      if ((await lag.lag()).total === 0) return true;
      await sleep(500);
    }
    return false;
  };
  try {
    await publish(wire);
    const pilotIds = templates.map((t) => t.pilotId);
    const real = pilotIds.length;
    let drained = await drain(deadline + 60_000);
    // Copies, in as many as the time left holds at the rate the reporting service took the first in.
    let copies = 0;
    const due = [-400, -200, -30].map((days) =>
      new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10),
    );
    while (drained && pilotIds.length < target && performance.now() < deadline - 5_000) {
      const elapsed = (performance.now() - started) / 1000;
      const rate = pilotIds.length / elapsed;
      const room = Math.floor(rate * ((deadline - performance.now()) / 1000) * 0.9);
      const batch = Math.min(
        target - pilotIds.length,
        Math.max(room, Math.min(50, target - pilotIds.length)),
      );
      const items: WireEvent[] = [];
      for (let i = 0; i < batch; i++) {
        const template = templates[copies % templates.length]!;
        const id = randomUUID();
        items.push(
          ...clonePilot(template, id, copies % 2 === 0 ? { dueDates: due, at: new Date() } : undefined),
        );
        pilotIds.push(id);
        copies++;
      }
      context.log(`S3: publishing ${batch} copied pilots (${items.length} events)`);
      await publish(items);
      drained = await drain(deadline + 60_000);
    }
    const seconds = (performance.now() - started) / 1000;
    const commandsAfter = await ferretdbCommands();
    return {
      pilots: pilotIds.length,
      real,
      events,
      seconds,
      drained,
      pilotIds,
      ...(commandsBefore && commandsAfter
        ? { commands: commandsBetween(commandsBefore, commandsAfter) }
        : {}),
    };
  } finally {
    await producer.disconnect();
    await lag.stop();
  }
}

/** Pilots submitted through the platform and seen in evaluation, for S3 run on its own. */
async function submitSome(
  context: ScenarioContext,
  platform: Platform,
  http: HttpClient,
  kafka: Kafka,
  count: number,
): Promise<void> {
  const region: PortalUser = await signIn(http, platform.portal, demoRegions[0]!.username);
  const callId = await openBenchCall(http, platform.portal, 'S3 templates');
  const watch = await StageWatch.start(kafka, platform.topicPrefix, 'evaluation');
  try {
    const ids = [await awaitCallKnown(region, callId)];
    for (let i = 1; i < count; i++) {
      const id = await createApplication(region, callId, i);
      await submitApplication(region, id);
      ids.push(id);
    }
    const reached = await watch.waitFor(ids, 60_000);
    if (reached < ids.length) context.log(`S3: only ${reached} of ${ids.length} pilots reached evaluation`);
  } finally {
    await watch.stop();
  }
}

// --- Reading ----------------------------------------------------------------------------------------

async function measureReads(
  context: ScenarioContext,
  http: HttpClient,
  reporting: Reporting,
  loaded: Loaded,
): Promise<Figure[]> {
  const auditor = await signIn(http, reporting.portal, 'auditor');
  const concurrency = 4;
  const bound = context.smoke ? { count: 12 } : { durationMs: 8_000 };
  const warmupMs = context.smoke ? 0 : 1_000;
  const get = async (path: string) => {
    const answer = await auditor.request('GET', path);
    if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}`);
    return answer.body;
  };
  const pick = () => loaded.pilotIds[Math.floor(Math.random() * loaded.pilotIds.length)]!;
  const reads: [string, (i: number) => string][] = [
    ['dashboard', () => '/api/dashboard'],
    ['pilot timeline', () => `/api/pilots/${pick()}/timeline`],
    ['overdue milestones', () => '/api/milestones?status=overdue'],
  ];
  const overdue = (await get('/api/milestones?status=overdue')) as { items?: unknown[] };
  const scale = `${loaded.pilots} pilots (${loaded.real} through the platform, ${loaded.pilots - loaded.real} copied from the wire; issue 9 asks 10,000)${loaded.drained ? '' : ', reporting still consuming'}`;
  const figures: Figure[] = [];
  const id = auditorReads.id;
  for (const [what, path] of reads) {
    const result = await closedLoop(concurrency, bound, async (i) => void (await get(path(i))), { warmupMs });
    const note = `${scale}; ${concurrency} concurrent auditors, ${result.requests} calls, ${result.errors} errors${
      what === 'overdue milestones' ? `; first page of ${overdue.items?.length ?? 0} rows` : ''
    }`;
    figures.push(
      { scenario: id, metric: `${what} p50`, value: result.latency.p50, unit: 'ms', note },
      {
        scenario: id,
        metric: `${what} p99`,
        value: result.latency.p99,
        unit: 'ms',
        target: { atMost: 200 },
        note,
      },
    );
  }
  const rates: number[] = [];
  const times: number[] = [];
  let entries = 0;
  let valid = true;
  for (let i = 0; i < (context.smoke ? 1 : 5); i++) {
    const started = performance.now();
    const answer = (await get('/api/audit/verify')) as { valid: boolean; entries: number };
    const ms = performance.now() - started;
    times.push(ms);
    rates.push(answer.entries / (ms / 1000));
    entries = answer.entries;
    valid &&= answer.valid;
  }
  const verifyNote = `${entries} audit entries, chain ${valid ? 'valid' : '**invalid**'}; ${scale}; median of ${rates.length} calls`;
  figures.push(
    {
      scenario: id,
      metric: 'audit verification',
      value: summarise(rates).p50,
      unit: 'entries/s',
      target: { atLeast: 100_000 },
      note: verifyNote,
    },
    {
      scenario: id,
      metric: 'audit verification p50',
      value: summarise(times).p50,
      unit: 'ms',
      note: verifyNote,
    },
    {
      scenario: id,
      metric: 'reporting ingest while loading',
      value: loaded.events / loaded.seconds,
      unit: 'msg/s',
      note: `${loaded.events} events onto its topics and consumed by its three groups in ${loaded.seconds.toFixed(0)} s; ${scale}`,
    },
  );
  if (loaded.commands && loaded.events > 0) {
    // The reporting service's three consumer groups each look up, handle and mark every event:
    // the database commands per event bound its ingest at the rate FerretDB serves them.
    const total = loaded.commands.reduce((sum, [, count]) => sum + count, 0);
    const top = loaded.commands
      .slice(0, 6)
      .map(([command, count]) => `${command} ${(count / loaded.events).toFixed(1)}`)
      .join(', ');
    figures.push({
      scenario: id,
      metric: 'database commands per ingested event',
      value: total / loaded.events,
      unit: 'commands',
      note: `FerretDB's own request counters while loading (${(total / loaded.seconds).toFixed(0)} commands/s; the shared platform idle meanwhile); per event: ${top}`,
    });
  }
  return figures;
}
