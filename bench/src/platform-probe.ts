import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { ApplicationDraftBody } from '@s3p/contracts';
import { loadInfraConfig } from '@s3p/infra-local';
import type { StackEndpoints } from '@s3p/testkit';
import type { Admin, Consumer } from 'kafkajs';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import { applicationDraft } from './baselines/fixtures';
import type { HttpClient } from './load';

/**
 * What the platform scenarios share: users signed in through the portal, a call that every demo
 * region may apply to, stages observed on Kafka, consumer lag, outbox backlog and the RSS of the
 * processes. Pure parts (lag arithmetic, /proc parsing, peaks) are exported for the unit tests.
 */

// --- Users through the portal ----------------------------------------------------------------------

export interface PortalAnswer<T> {
  status: number;
  body: T;
}

export interface PortalUser {
  username: string;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<PortalAnswer<T>>;
}

/** Signs a demo user in (POST /api/auth/token, password `demo`) and calls the API as that user. */
export async function signIn(client: HttpClient, portal: string, username: string): Promise<PortalUser> {
  const answer = await client.request(
    'POST',
    `${portal}/api/auth/token`,
    JSON.stringify({ username, password: 'demo' }),
  );
  if (answer.status !== 200) {
    throw new Error(`${username} could not sign in: ${answer.status} ${answer.body.toString('utf8')}`);
  }
  const { access_token: token } = JSON.parse(answer.body.toString('utf8')) as { access_token: string };
  const authorization = `Bearer ${token}`;
  return {
    username,
    async request<T>(method: string, path: string, body?: unknown): Promise<PortalAnswer<T>> {
      const sent = await client.request(
        method,
        `${portal}${path}`,
        body === undefined ? undefined : JSON.stringify(body),
        { authorization },
      );
      const text = sent.body.toString('utf8');
      return { status: sent.status, body: (text ? JSON.parse(text) : {}) as T };
    },
  };
}

/** The demo regions (NUTS-2, one per member state) and the member state of each. */
export const demoRegions: readonly { username: string; country: string }[] = [
  { username: 'region-bg41', country: 'BG' },
  { username: 'region-el30', country: 'GR' },
  { username: 'region-pl91', country: 'PL' },
  { username: 'region-es11', country: 'ES' },
  { username: 'region-itc4', country: 'IT' },
  { username: 'region-fr10', country: 'FR' },
  { username: 'region-de11', country: 'DE' },
  { username: 'region-ro32', country: 'RO' },
  { username: 'region-hu11', country: 'HU' },
  { username: 'region-pt17', country: 'PT' },
  { username: 'region-se33', country: 'SE' },
  { username: 'region-fi1b', country: 'FI' },
];

/** The demo reviewers, none from a member state of the demo regions, so that every seat can be filled. */
const reviewerPool = [
  { id: 'reviewer1', name: 'Reviewer One', country: 'NL' },
  { id: 'reviewer2', name: 'Reviewer Two', country: 'AT' },
  { id: 'reviewer3', name: 'Reviewer Three', country: 'IE' },
  { id: 'reviewer4', name: 'Reviewer Four', country: 'DK' },
  { id: 'reviewer5', name: 'Reviewer Five', country: 'LU' },
];

const day = 24 * 60 * 60 * 1000;
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();

/**
 * A published industrial-transition call open to every demo region, with a budget and ceiling no
 * benchmark can exhaust, and the reviewer pool in place: every complete application passes
 * eligibility and is seated two reviewers, i.e. reaches `evaluation`.
 */
export async function openBenchCall(client: HttpClient, portal: string, label: string): Promise<string> {
  const manager = await signIn(client, portal, 'manager');
  for (const { id, ...reviewer } of reviewerPool) {
    const answer = await manager.request('PUT', `/api/reviewers/${id}`, reviewer);
    if (answer.status !== 200 && answer.status !== 201) {
      throw new Error(`PUT /api/reviewers/${id} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
  }
  const created = await manager.request<{ id: string }>('POST', '/api/calls', {
    pilotType: 'industrial-transition',
    title: `${label} ${randomUUID().slice(0, 8)}`,
    summary: 'A call of the benchmark: open to every demo region, with a budget it cannot exhaust.',
    eligibility: {
      countries: demoRegions.map((region) => region.country),
      minPartners: 0,
      maxPartners: 0,
      minCountries: 1,
    },
    prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
    criteria: [
      { id: 'relevance', name: 'Relevance', weight: 50, maxScore: 5 },
      { id: 'quality', name: 'Quality', weight: 50, maxScore: 5 },
    ],
    passThreshold: 60,
    reviewersPerApplication: 2,
    // A thousand billion euro and a ceiling of a billion: no run of the benchmark comes near.
    totalBudget: 100_000_000_000_000,
    perApplicationCeiling: 100_000_000_000,
    opensAt: isoIn(-60_000),
    closesAt: isoIn(30 * day),
  });
  if (created.status !== 201) {
    throw new Error(`POST /api/calls answered ${created.status}: ${JSON.stringify(created.body)}`);
  }
  const published = await manager.request('POST', `/api/calls/${created.body.id}/publish`);
  if (published.status !== 200) {
    throw new Error(`publishing the call answered ${published.status}: ${JSON.stringify(published.body)}`);
  }
  return created.body.id;
}

/** A complete application to the call, ready to submit: the baselines' draft, numbered. */
export function applicationBody(callId: string, n: number): ApplicationDraftBody {
  return { ...applicationDraft(callId), title: `Smart manufacturing transition ${n}` };
}

/** Creates a draft (POST /api/applications) and answers its id; throws on anything but 201. */
export async function createApplication(region: PortalUser, callId: string, n: number): Promise<string> {
  const answer = await region.request<{ id: string }>(
    'POST',
    '/api/applications',
    applicationBody(callId, n),
  );
  if (answer.status !== 201) {
    throw new Error(
      `POST /api/applications answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`,
    );
  }
  return answer.body.id;
}

/** Submits a draft; throws on anything but 200/201. */
export async function submitApplication(region: PortalUser, id: string): Promise<void> {
  const answer = await region.request('POST', `/api/applications/${id}/submit`);
  if (answer.status !== 200 && answer.status !== 201) {
    throw new Error(`submit answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
}

/**
 * Waits until the applications service knows the call (it learns it from `calls.events`): a first
 * draft is refused until then. Answers that draft's id, submitted, so that nothing is left half-done.
 */
export async function awaitCallKnown(
  region: PortalUser,
  callId: string,
  // The applications service learns of a call from Kafka: after a burst its consumer may be minutes behind.
  timeoutMs = 300_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const id = await createApplication(region, callId, 0);
      await submitApplication(region, id);
      return id;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the call never reached the applications service: ${String(error)}`);
      await sleep(200);
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// --- Kafka ------------------------------------------------------------------------------------------

export function benchKafka(endpoints: StackEndpoints, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: endpoints.KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200 },
  });
}

/**
 * Watches `<topicPrefix>lifecycle.events` for pilots reaching a stage: when (performance.now()) the
 * bench first saw each pilot's `lifecycle.stage-changed` to it. Read by a group of its own, whose
 * name does not start with the platform's prefix, so that it never counts in the platform's lag.
 */
export class StageWatch {
  private readonly seen = new Map<string, number>();
  private readonly consumer: Consumer;
  private waiters: (() => void)[] = [];

  private constructor(
    kafka: Kafka,
    private readonly topic: string,
    private readonly stage: string,
  ) {
    this.consumer = kafka.consumer({ groupId: `bench-watch-${randomUUID()}`, maxWaitTimeInMs: 50 });
  }

  static async start(kafka: Kafka, topicPrefix: string, stage: string): Promise<StageWatch> {
    const watch = new StageWatch(kafka, `${topicPrefix}lifecycle.events`, stage);
    await watch.run();
    return watch;
  }

  private async run(): Promise<void> {
    const joined = new Promise<void>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
    await this.consumer.connect();
    // From the beginning: a group of its own resolves `latest` only at its first fetch, and a change
    // made in between would be missed; the earlier pilots' changes are read past in a moment.
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const at = performance.now();
        const pilot = stageReached(message.value?.toString('utf8') ?? '', this.stage);
        if (pilot && !this.seen.has(pilot)) {
          this.seen.set(pilot, at);
          const waiting = this.waiters;
          this.waiters = [];
          for (const wake of waiting) wake();
        }
      },
    });
    await joined;
  }

  /** When the pilot was seen reaching the stage, if it was. */
  seenAt(pilotId: string): number | undefined {
    return this.seen.get(pilotId);
  }

  /** Waits until every one of the pilots was seen, or the time is up; answers how many were. */
  async waitFor(pilotIds: readonly string[], timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const count = pilotIds.filter((id) => this.seen.has(id)).length;
      const left = deadline - performance.now();
      if (count === pilotIds.length || left <= 0) return count;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1_000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** The pilot whose `lifecycle.stage-changed` to `stage` the message is, if it is one. */
export function stageReached(value: string, stage: string): string | undefined {
  let event: { type?: unknown; data?: { pilotId?: unknown; to?: unknown } };
  try {
    event = JSON.parse(value) as typeof event;
  } catch {
    return undefined;
  }
  if (event.type !== 'lifecycle.stage-changed' || event.data?.to !== stage) return undefined;
  return typeof event.data.pilotId === 'string' ? event.data.pilotId : undefined;
}

/** One partition's committed offset (-1: none yet) and its log's start and end. */
export interface PartitionOffsets {
  committed: number;
  low: number;
  high: number;
}

/** Messages not yet consumed: a partition without a committed offset is read from its start. */
export function lagOf(partitions: readonly PartitionOffsets[]): number {
  return partitions.reduce(
    (sum, { committed, low, high }) => sum + Math.max(0, high - (committed >= 0 ? committed : low)),
    0,
  );
}

/**
 * The consumer lag of every group whose name starts with the prefix (the platform's services), on
 * the topics each is assigned or has committed to.
 */
export class LagProbe {
  private constructor(
    private readonly admin: Admin,
    private readonly prefix: string,
  ) {}

  static async start(kafka: Kafka, prefix: string): Promise<LagProbe> {
    const admin = kafka.admin();
    await admin.connect();
    return new LagProbe(admin, prefix);
  }

  /** The total lag, and per group. */
  async lag(): Promise<{ total: number; groups: Record<string, number> }> {
    const { groups } = await this.admin.listGroups();
    const ours = groups.map((group) => group.groupId).filter((id) => id.startsWith(this.prefix));
    const described = ours.length > 0 ? (await this.admin.describeGroups(ours)).groups : [];
    const ends = new Map<string, Map<number, { low: number; high: number }>>();
    const endsOf = async (topic: string) => {
      let known = ends.get(topic);
      if (!known) {
        known = new Map(
          (await this.admin.fetchTopicOffsets(topic)).map((p) => [
            p.partition,
            { low: Number(p.low), high: Number(p.high) },
          ]),
        );
        ends.set(topic, known);
      }
      return known;
    };
    const perGroup: Record<string, number> = {};
    let total = 0;
    for (const groupId of ours) {
      const topics = new Set<string>();
      for (const member of described.find((g) => g.groupId === groupId)?.members ?? []) {
        const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        for (const topic of Object.keys(decoded?.assignment ?? {})) topics.add(topic);
      }
      const committed = await this.admin.fetchOffsets({ groupId });
      for (const { topic, partitions } of committed) {
        if (partitions.some((p) => Number(p.offset) >= 0)) topics.add(topic);
      }
      const partitions: PartitionOffsets[] = [];
      for (const topic of topics) {
        const offsets =
          committed.find((c) => c.topic === topic)?.partitions ??
          (await this.admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ??
          [];
        for (const [partition, end] of await endsOf(topic)) {
          const mine = offsets.find((p) => p.partition === partition);
          partitions.push({ committed: mine ? Number(mine.offset) : -1, ...end });
        }
      }
      perGroup[groupId] = lagOf(partitions);
      total += perGroup[groupId];
    }
    return { total, groups: perGroup };
  }

  async stop(): Promise<void> {
    await this.admin.disconnect();
  }
}

// --- Outboxes ---------------------------------------------------------------------------------------

/** Where each service keeps an outbox: the aggregates' collections (see packages/messaging's OutboxRelay). */
export const outboxCollections: Record<string, string[]> = {
  calls: ['calls'],
  applications: ['applications'],
  lifecycle: ['pilot_events', 'pilots'],
  experts: ['experts', 'teams'],
  reporting: ['milestones', 'pilots'],
};

/**
 * Events waiting in the services' outboxes (written with their state change, not yet published):
 * in all, and per outbox (`service.collection`).
 */
export async function outboxBacklog(
  mongo: MongoClient,
  databasePrefix: string,
): Promise<{ total: number; outboxes: Record<string, number> }> {
  const outboxes: Record<string, number> = {};
  let total = 0;
  for (const [service, collections] of Object.entries(outboxCollections)) {
    const db = mongo.db(`${databasePrefix}s3p_${service}`);
    for (const name of collections) {
      const pending = await db
        .collection(name)
        .find({ 'outbox.0': { $exists: true } }, { projection: { outbox: 1 } })
        .toArray();
      let waiting = 0;
      for (const doc of pending) waiting += Array.isArray(doc.outbox) ? doc.outbox.length : 0;
      outboxes[`${service}.${name}`] = waiting;
      total += waiting;
    }
  }
  return { total, outboxes };
}

// --- Processes and their memory ---------------------------------------------------------------------

/** Resident set size in MB from the text of /proc/<pid>/status. */
export function rssMbOf(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
}

/** The parent pid from the text of /proc/<pid>/stat (the command may hold spaces and parentheses). */
export function parentPidOf(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** The inodes of the sockets listening on a port, from the text of /proc/net/tcp or tcp6. */
export function listeningInodes(table: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const localPort = parseInt(fields[1]!.split(':')[1] ?? '', 16);
    // State 0A is LISTEN.
    if (localPort === port && fields[3] === '0A') inodes.push(fields[9]!);
  }
  return inodes;
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const pids = () =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);

/** The services this process started (children running services/<name>/dist/index.js), by name. */
export function servicePids(parent = process.pid): Map<string, number> {
  const found = new Map<string, number>();
  for (const pid of pids()) {
    const stat = read(`/proc/${pid}/stat`);
    if (!stat || parentPidOf(stat) !== parent) continue;
    const cmdline = read(`/proc/${pid}/cmdline`)?.split('\0') ?? [];
    for (const arg of cmdline) {
      const match = /services\/([a-z-]+)\/dist\/index\.js$/.exec(arg);
      if (match) found.set(found.has(match[1]!) ? `${match[1]}#${pid}` : match[1]!, pid);
    }
  }
  return found;
}

/** The process listening on a TCP port of this machine, if one is visible. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set(
    ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => listeningInodes(read(file) ?? '', port)),
  );
  if (inodes.size === 0) return undefined;
  for (const pid of pids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match && inodes.has(match[1]!)) return pid;
      } catch {
        // The descriptor closed meanwhile.
      }
    }
  }
  return undefined;
}

const portOf = (address: string, fallback: number) => {
  const last = address
    .split(',')[0]!
    .replace(/^[a-z]+:\/\//, '')
    .split('/')[0]!;
  const port = Number(last.split(':').at(-1));
  return Number.isInteger(port) && port > 0 ? port : fallback;
};

/** The stack's processes, found by the ports their endpoints name (Kafka's java, FerretDB, Temporal, Mailpit). */
export function stackPids(endpoints: StackEndpoints): Map<string, number> {
  const found = new Map<string, number>();
  const parts: [string, number][] = [
    ['kafka', portOf(endpoints.KAFKA_BROKERS, 9092)],
    ['ferretdb', portOf(endpoints.MONGODB_URI, 27017)],
    ['temporal', portOf(endpoints.TEMPORAL_ADDRESS, 7233)],
    ['mailpit', portOf(endpoints.SMTP_URL, 1025)],
  ];
  for (const [name, port] of parts) {
    const pid = pidListeningOn(port);
    if (pid !== undefined) found.set(name, pid);
  }
  return found;
}

export const rssMb = (pid: number): number | undefined => rssMbOf(read(`/proc/${pid}/status`) ?? '');

/** Samples the RSS of named processes every interval and keeps each one's peak. */
export class RssSampler {
  readonly peaks = new Map<string, number>();
  samples = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly processes: Map<string, number>) {}

  start(intervalMs = 1_000): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }

  sample(): void {
    this.samples++;
    for (const [name, pid] of this.processes) {
      const mb = rssMb(pid);
      if (mb !== undefined) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, mb));
    }
  }

  stop(): Map<string, number> {
    clearInterval(this.timer);
    this.sample();
    return this.peaks;
  }
}

/** CPU time (user + system) in clock ticks from the text of /proc/<pid>/stat. */
export function cpuTicksOf(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, fields 14 and 15 of stat(5), counted from the state (field 3).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every architecture Node runs on. */
const ticksPerSecond = 100;

/**
 * The share of one core each named process used between `start()` and `stop()`: where the
 * machine's two cores went during a scenario (a process gone meanwhile is left out).
 */
export class CpuMeter {
  private readonly first = new Map<string, number>();
  private began = 0;

  constructor(private readonly processes: Map<string, number>) {}

  start(): this {
    this.began = performance.now();
    for (const [name, pid] of this.processes) {
      const ticks = cpuTicksOf(read(`/proc/${pid}/stat`) ?? '');
      if (ticks !== undefined) this.first.set(name, ticks);
    }
    return this;
  }

  /** Percent of one core per process, over the time since `start()`. */
  stop(): Map<string, number> {
    const seconds = (performance.now() - this.began) / 1000;
    const shares = new Map<string, number>();
    for (const [name, pid] of this.processes) {
      const before = this.first.get(name);
      const after = cpuTicksOf(read(`/proc/${pid}/stat`) ?? '');
      if (before === undefined || after === undefined || seconds <= 0) continue;
      shares.set(name, ((after - before) / ticksPerSecond / seconds) * 100);
    }
    return shares;
  }
}

// --- The database's own counts -------------------------------------------------------------------

/** Commands received by FerretDB, by command name, from the text of its Prometheus metrics. */
export function ferretdbCommandsOf(metrics: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('ferretdb_client_requests_total{')) continue;
    const command = /command="([^"]*)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (command !== undefined && Number.isFinite(value)) {
      counts.set(command, (counts.get(command) ?? 0) + value);
    }
  }
  return counts;
}

/**
 * The commands FerretDB of the embedded stack has received so far (its debug address, as
 * infra/local configures it); undefined where it does not answer (MongoDB, the compose stack).
 */
export async function ferretdbCommands(): Promise<Map<string, number> | undefined> {
  try {
    const port = loadInfraConfig(process.env).ports.ferretdbDebug;
    const answer = await fetch(`http://127.0.0.1:${port}/debug/metrics`, {
      signal: AbortSignal.timeout(3_000),
    });
    return answer.ok ? ferretdbCommandsOf(await answer.text()) : undefined;
  } catch {
    return undefined;
  }
}

/** Commands per name between two readings, most frequent first. */
export function commandsBetween(before: Map<string, number>, after: Map<string, number>): [string, number][] {
  return [...after]
    .map(([command, count]): [string, number] => [command, count - (before.get(command) ?? 0)])
    .filter(([, count]) => count > 0)
    .sort(([, a], [, b]) => b - a);
}

/** The peak RSS and the CPU shares seen during the last S1 burst, kept for the Footprint scenario. */
export const footprintOfLastBurst: {
  services?: Map<string, number>;
  stack?: Map<string, number>;
  /** Percent of one core, services and stack processes together. */
  cpu?: Map<string, number>;
  samples?: number;
  note?: string;
} = {};

/** Runs `probe` every interval in the background; `stop()` answers every value it got. */
export function every<T>(intervalMs: number, probe: () => Promise<T>): { stop(): Promise<T[]> } {
  const values: T[] = [];
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const started = Date.now();
      try {
        values.push(await probe());
      } catch {
        // A failed probe leaves a gap; the next one tries again.
      }
      await sleep(Math.max(0, intervalMs - (Date.now() - started)));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return values;
    },
  };
}
