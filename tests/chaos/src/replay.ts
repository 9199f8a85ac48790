import { setTimeout as delay } from 'node:timers/promises';
import type { ServiceName } from '@s3p/infra-local';
import type { Admin, Kafka } from 'kafkajs';
import { AssignerProtocol } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import type { ChaosPlatform } from './chaos-platform';
import type { Check } from './invariants';

/** The services that consume events, each with consumer groups named after it. */
const consumers: ServiceName[] = ['applications', 'lifecycle', 'experts', 'reporting', 'notifications'];
/** Bookkeeping of the delivery itself, not state: what the replay clears, or request replays. */
const notState = new Set(['processed_events', 'idempotency_keys']);

/** A replay whose lag has not gone down for this long has stalled: waiting longer would not help. */
const stallMs = 60_000;

export interface ReplayWitnesses {
  platform: ChaosPlatform;
  kafka: Kafka;
  mongo: MongoClient;
  mailpitUrl: string;
  log: (line: string) => void;
}

/** Every document of every consumer's database (delivery bookkeeping aside), and the mail sent. */
async function snapshot({ platform, mongo, mailpitUrl }: ReplayWitnesses): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  for (const service of consumers) {
    const db = mongo.db(`${platform.databasePrefix}s3p_${service}`);
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (notState.has(name)) continue;
      for (const doc of await db.collection(name).find({}).toArray())
        state.set(`${service}.${name}/${JSON.stringify(doc._id)}`, JSON.stringify(doc));
    }
  }
  const mail = (await (await fetch(`${mailpitUrl}/api/v1/messages?limit=1`)).json()) as { total: number };
  state.set('mail sent', String(mail.total));
  return state;
}

/** The fields (dotted, down to the first that differs) in which two documents differ. */
function changedFields(before: unknown, after: unknown, at = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(before) || !isObject(after)) return [at || '(whole)'];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].flatMap((key) => changedFields(before[key], after[key], at ? `${at}.${key}` : key));
}

/**
 * When a document was last written and a store's count of its writes: a handler that writes the
 * same content again moves them, which is a rewrite, not a change of state (reported apart).
 */
const writeBookkeeping = new Set(['updatedAt', 'revision']);

interface Differences {
  changed: string[];
  /** Documents written again with the same content (only their write bookkeeping moved). */
  rewritten: number;
}

function differences(before: Map<string, string>, after: Map<string, string>): Differences {
  const found: string[] = [];
  let rewritten = 0;
  for (const [key, value] of before) {
    const now = after.get(key);
    if (now === undefined) found.push(`${key} gone`);
    else if (now !== value) {
      const fields = changedFields(JSON.parse(value), JSON.parse(now));
      if (fields.every((field) => writeBookkeeping.has(field))) rewritten++;
      else found.push(`${key}: ${fields.slice(0, 4).join(', ')}`);
    }
  }
  for (const key of after.keys()) if (!before.has(key)) found.push(`${key} new`);
  return { changed: found, rewritten };
}

async function groupsOf(admin: Admin, prefix: string): Promise<string[]> {
  const { groups } = await admin.listGroups();
  return groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
}

/** Deletes an empty group; a member that did not leave holds its group until its session times out. */
async function deleteGroup(admin: Admin, groupId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await admin.deleteGroups([groupId]);
      return;
    } catch (error) {
      const cause = (error as { groups?: { error?: { type?: string } }[] }).groups?.[0]?.error?.type;
      if (cause === 'GROUP_ID_NOT_FOUND') return;
      if (Date.now() > deadline) throw error;
      await delay(1_000);
    }
  }
}

interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset (-1 before its first commit). */
  committed: number;
  high: number;
  behind: number;
}

/** The group's partitions of these topics, each with how far the group is behind its end. */
async function partitionLags(admin: Admin, groupId: string, topics: string[]): Promise<PartitionLag[]> {
  const lags: PartitionLag[] = [];
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const { partition, offset } of partitions) {
      const end = ends.find((e) => e.partition === partition);
      if (!end) continue;
      const committed = Number(offset);
      const high = Number(end.high);
      lags.push({
        topic,
        partition,
        committed,
        high,
        behind: high - (committed < 0 ? Number(end.low) : committed),
      });
    }
  }
  return lags;
}

/** Messages not yet handled by each group (committed offset, or the start, to the end of each partition). */
async function lagByGroup(admin: Admin, groups: Map<string, string[]>): Promise<Map<string, number>> {
  const lags = new Map<string, number>();
  for (const [groupId, topics] of groups) {
    const partitions = await partitionLags(admin, groupId, topics);
    lags.set(
      groupId,
      partitions.reduce((sum, { behind }) => sum + behind, 0),
    );
  }
  return lags;
}

/**
 * Where a group is behind, for the log: the group's state, each partition still behind with its
 * lag, and the member (client and host) the group assigned it to, if any.
 */
async function whereBehind(admin: Admin, groupId: string, topics: string[]): Promise<string> {
  const {
    groups: [group],
  } = await admin.describeGroups([groupId]);
  const holders = new Map<string, string>();
  for (const member of group?.members ?? []) {
    if (member.memberAssignment.length === 0) continue;
    const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
    for (const [topic, partitions] of Object.entries(assignment?.assignment ?? {})) {
      for (const partition of partitions) {
        holders.set(
          `${topic}/${partition}`,
          `${member.clientId}@${member.clientHost} ${member.memberId.slice(-8)}`,
        );
      }
    }
  }
  const behind = (await partitionLags(admin, groupId, topics))
    .filter((lag) => lag.behind > 0)
    .map(({ topic, partition, committed, high }) => {
      const where = `${topic}/${partition}`;
      return `${where} at ${committed} of ${high} (${holders.get(where) ?? 'no member'})`;
    });
  return `${group?.state ?? 'unknown'}, ${group?.members.length ?? 0} members; ${behind.join('; ')}`;
}

const total = (lags: Map<string, number>) => [...lags.values()].reduce((sum, n) => sum + n, 0);

/** The groups still behind, for the report: `group 12`, named without the run's prefix. */
const behindOf = (lags: Map<string, number>, prefix: string) =>
  [...lags]
    .filter(([, n]) => n > 0)
    .map(([groupId, n]) => `${groupId.slice(prefix.length)} ${n}`)
    .join(', ');

/**
 * Every consumer group of the platform read again from offset 0 while the load is over: the
 * state must come out unchanged. With `forgetProcessed`, the groups' processed-event marks are
 * deleted as well, which is what a consumer that crashed after its side effect and before its
 * mark and offset commit leaves behind (here for every message at once): the handlers themselves
 * must then absorb the repeat.
 */
export async function replayFromZero(witnesses: ReplayWitnesses, forgetProcessed: boolean): Promise<Check> {
  const { platform, kafka, mongo, log } = witnesses;
  const name = forgetProcessed
    ? 'consumers crashed after their side effects, before their commits (marks lost, read again from 0): state unchanged'
    : 'consumer groups reset to offset 0: state unchanged';
  const began = performance.now();
  const step = (what: string) =>
    log(
      `replay${forgetProcessed ? ' (marks lost)' : ''}: ${what} at ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
  const before = await snapshot(witnesses);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groupIds = await groupsOf(admin, platform.topicPrefix);
    // Graceful stops leave the groups at once (a killed member holds its group until its session
    // expires), and offsets of a group with members cannot be reset.
    const instances = consumers.flatMap((service) =>
      Array.from({ length: platform.instanceCount(service) }, (_, i) => [service, i] as const),
    );
    await Promise.all(instances.map(([service, i]) => platform.kill(service, i, 'SIGTERM')));
    step('consumers stopped');
    // Deleting a group deletes its offsets: its consumers (all `fromBeginning`) start again at 0.
    // kafkajs' resetOffsets would join each group once per topic, which takes seconds each.
    const groups = new Map<string, string[]>();
    for (const groupId of groupIds)
      groups.set(
        groupId,
        (await admin.fetchOffsets({ groupId })).map(({ topic }) => topic),
      );
    for (const groupId of groupIds) await deleteGroup(admin, groupId);
    if (forgetProcessed) {
      for (const service of consumers)
        await mongo
          .db(`${platform.databasePrefix}s3p_${service}`)
          .collection('processed_events')
          .deleteMany({});
    }
    const replayed = total(await lagByGroup(admin, groups));
    step(`${groups.size} groups at offset 0`);
    await Promise.all(instances.map(([service, i]) => platform.start(service, i)));
    step('consumers started');
    // Handled again at some messages a second here (two instances of each service on two cores):
    // the wait lasts while the lag goes down, within a bound that grows with what there is to read.
    const deadline = Date.now() + Math.max(180_000, replayed * 250);
    let left = replayed;
    let lags = new Map<string, number>();
    let progressAt = Date.now();
    for (;;) {
      lags = await lagByGroup(admin, groups);
      if (total(lags) < left) progressAt = Date.now();
      left = total(lags);
      if (left === 0 || Date.now() > deadline || Date.now() - progressAt > stallMs) break;
      await delay(1_000);
    }
    step(`${replayed - left} messages handled again`);
    if (left > 0) {
      for (const groupId of [...lags].filter(([, n]) => n > 0).map(([id]) => id)) {
        log(`replay: ${groupId} behind: ${await whereBehind(admin, groupId, groups.get(groupId) ?? [])}`);
      }
    }
    // The last handlers commit their offsets as they finish; give the outbox relays a moment too.
    await delay(3_000);
    const { changed, rewritten } = differences(before, await snapshot(witnesses));
    log(
      `${name}: ${replayed} messages of ${groups.size} groups read again, ${left} left, ${changed.length} changes`,
    );
    return {
      name,
      holds: left === 0 && changed.length === 0,
      detail:
        `${replayed} messages of ${groups.size} consumer groups read again (${left} unread at the end` +
        (left > 0 ? `: ${behindOf(lags, platform.topicPrefix)}` : '') +
        '); ' +
        (changed.length === 0
          ? `${before.size} documents and the mail count unchanged`
          : `changed: ${changed.slice(0, 8).join('; ')}`) +
        (rewritten > 0
          ? `; ${rewritten} documents written again with the same content (only updatedAt/revision moved)`
          : ''),
    };
  } finally {
    await admin.disconnect();
  }
}
