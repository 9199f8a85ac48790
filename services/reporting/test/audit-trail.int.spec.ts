import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AnyEnvelope } from '@s3p/contracts';
import { callEvents, lifecycleEvents } from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';
import { authenticate, createServiceApp, remoteKeys } from '@s3p/service-kit';
import type { TestIssuer } from '@s3p/testkit';
import { isolation, startTestIssuer } from '@s3p/testkit';
import { Router } from 'express';
import type { Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { auditBatchHandler, auditHandler } from '../src/audit/audit-handler';
import { auditRoutes } from '../src/audit/audit-routes';
import type { AuditEntryDocument } from '../src/audit/audit-trail';
import { AuditTrail } from '../src/audit/audit-trail';
import type { AuditEntry } from '../src/audit/canonical';
import { genesisHash } from '../src/audit/canonical';
import { main as verifyCli } from '../src/audit/verify-cli';

const names = isolation('audit-trail');
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  client = await MongoClient.connect(names.mongoUri);
  db = client.db();
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

/** A trail of its own for one test, so that each tampers with its own chain. */
async function newTrail(): Promise<AuditTrail> {
  const trail = new AuditTrail(db.collection<AuditEntryDocument>(`audit_${randomUUID().slice(0, 8)}`));
  await trail.ensureIndexes();
  return trail;
}

const stageChanged = (pilotId: string, sequence: number): AnyEnvelope =>
  newEvent(lifecycleEvents.stageChanged, {
    source: 'lifecycle',
    subject: pilotId,
    actor: { kind: 'user', sub: 'approver1', roles: ['approver'] },
    data: {
      pilotId,
      callId: 'call-audit',
      pilotType: 'industrial-transition',
      region: 'BG41',
      partners: [],
      sequence,
      from: 'final-report',
      to: 'closed',
      reason: `Schlussbericht angenommen (${sequence}) ✓`,
    },
  });

const callOpened = (callId: string, occurredAt = new Date()): AnyEnvelope =>
  newEvent(callEvents.opened, {
    source: 'calls',
    subject: callId,
    actor: { kind: 'system', name: 'calls' },
    occurredAt,
    data: { callId, openedAt: occurredAt.toISOString() },
  });

/** `count` stage changes of one pilot, appended in order. */
async function appended(trail: AuditTrail, count: number): Promise<AnyEnvelope[]> {
  const events = Array.from({ length: count }, (_, i) => stageChanged('pilot-audit', i + 1));
  for (const event of events) await trail.append(event, 'lifecycle.events');
  return events;
}

const allOf = (trail: AuditTrail) => trail.collection.find({}).sort({ _id: 1 }).toArray();

async function exportOf(trail: AuditTrail): Promise<string> {
  let text = '';
  for await (const line of trail.exportLines()) text += line;
  return text;
}

describe('appending', () => {
  it('chains the events in arrival order, each entry over the one before', async () => {
    const trail = await newTrail();
    const events = await appended(trail, 4);
    const stored = await allOf(trail);
    expect(stored.map((entry) => [entry._id, entry.eventId])).toEqual(events.map((e, i) => [i + 1, e.id]));
    expect(stored[0]).toMatchObject({
      previousHash: genesisHash,
      type: 'lifecycle.stage-changed',
      version: 1,
      source: 'lifecycle',
      subject: 'pilot-audit',
      actor: { kind: 'user', sub: 'approver1', roles: ['approver'] },
      occurredAt: events[0]!.occurredAt,
      topic: 'lifecycle.events',
      event: events[0],
    });
    stored.slice(1).forEach((entry, i) => expect(entry.previousHash).toBe(stored[i]!.hash));
    expect(await trail.verify()).toEqual({ valid: true, entries: 4, head: stored[3]!.hash });
  });

  it('adds nothing for a redelivered event', async () => {
    const trail = await newTrail();
    const event = stageChanged('pilot-again', 1);
    expect(await trail.append(event, 'lifecycle.events')).toBe('appended');
    expect(await trail.append(event, 'lifecycle.events')).toBe('duplicate');
    expect(await trail.collection.countDocuments()).toBe(1);
  });

  it('takes a redelivered event in with lookups by _id alone, and appends the next at the same head', async () => {
    const watched = await MongoClient.connect(names.mongoUri, { monitorCommands: true });
    try {
      const collection = watched.db().collection<AuditEntryDocument>(`audit_${randomUUID().slice(0, 8)}`);
      const trail = new AuditTrail(collection);
      await trail.ensureIndexes();
      const events = await appended(trail, 5);
      const commands: { name: string; command: Record<string, unknown> }[] = [];
      watched.on('commandStarted', (started) =>
        commands.push({ name: started.commandName, command: started.command }),
      );
      // A replay after the consumer's marks were lost: every event comes again.
      for (const event of events) expect(await trail.append(event, 'lifecycle.events')).toBe('duplicate');
      const next = stageChanged('pilot-audit', 6);
      expect(await trail.append(next, 'lifecycle.events')).toBe('appended');

      // Neither a count nor a sort: on FerretDB either reads the whole trail, at every redelivery.
      const reads = commands.filter((c) => c.name !== 'insert');
      expect(reads.map((c) => c.name)).toEqual(events.map(() => 'find'));
      for (const { command } of reads) {
        expect(Object.keys(command.filter as object)).toEqual(['_id']);
        expect(command.sort).toBeUndefined();
      }
      expect(await trail.verify()).toMatchObject({ valid: true, entries: 6 });
    } finally {
      await watched.close();
    }
  });

  it('keeps one valid chain of 10 entries when 10 events each arrive twice at once', async () => {
    const trail = await newTrail();
    const events = Array.from({ length: 10 }, (_, i) => stageChanged(`pilot-${i}`, 1));
    const outcomes = await Promise.all(
      [...events, ...events].map((event) => trail.append(event, 'lifecycle.events')),
    );
    expect(outcomes.filter((o) => o === 'appended')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(10);
    const stored = await allOf(trail);
    expect(stored.map((e) => e._id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(stored.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.id).sort());
    expect(await trail.verify()).toMatchObject({ valid: true, entries: 10 });
  });

  it('keeps one valid chain when two instances append at once, the loser of a place moving on', async () => {
    const one = await newTrail();
    const other = new AuditTrail(one.collection);
    // Ten entries in all, so that an append loses its place at most nine times: within the bound.
    const events = Array.from({ length: 10 }, (_, i) => stageChanged(`pilot-${i}`, 1));
    // Each instance takes in its own half, racing the other for every place, and the other half
    // redelivered; which instance appends an event first depends on the race.
    const instanceFor = (i: number, redelivered: boolean) => ((i % 2 === 0) === redelivered ? other : one);
    const outcomes = await Promise.all([
      ...events.map((event, i) => instanceFor(i, false).append(event, 'lifecycle.events')),
      ...events.map((event, i) => instanceFor(i, true).append(event, 'lifecycle.events')),
    ]);
    expect(outcomes.filter((o) => o === 'appended')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(10);
    const stored = await allOf(one);
    expect(stored.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.id).sort());
    expect(await one.verify()).toMatchObject({ valid: true, entries: 10 });
  });

  it('appends a chunk with one insert, chained as one by one would, after and before single appends', async () => {
    const trail = await newTrail();
    const first = await appended(trail, 2);
    const chunk = Array.from({ length: 5 }, (_, i) => stageChanged('pilot-chunk', i + 1));
    await trail.appendMany(chunk.map((event) => ({ event, topic: 'lifecycle.events' })));
    const next = stageChanged('pilot-after', 1);
    expect(await trail.append(next, 'lifecycle.events')).toBe('appended');
    const stored = await allOf(trail);
    expect(stored.map((e) => [e._id, e.eventId])).toEqual(
      [...first, ...chunk, next].map((event, i) => [i + 1, event.id]),
    );
    expect(await trail.verify()).toMatchObject({ valid: true, entries: 8 });
  });

  it('takes a chunk holding redelivered events with each event once, the chain unbroken', async () => {
    const trail = await newTrail();
    const earlier = await appended(trail, 3);
    const fresh = Array.from({ length: 4 }, (_, i) => stageChanged('pilot-fresh', i + 1));
    // A replay after a crash: new events, then one already in the trail, then new ones, one of them twice.
    const chunk = [fresh[0]!, fresh[1]!, earlier[1]!, fresh[2]!, fresh[2]!, fresh[3]!];
    await trail.appendMany(chunk.map((event) => ({ event, topic: 'lifecycle.events' })));
    const stored = await allOf(trail);
    expect(stored.map((e) => e.eventId)).toEqual([...earlier, ...fresh].map((event) => event.id));
    expect(await trail.verify()).toMatchObject({ valid: true, entries: 7 });
    // And wholly again: nothing added.
    await auditBatchHandler(trail, () => 'lifecycle.events')([...earlier, ...fresh]);
    expect(await trail.collection.countDocuments()).toBe(7);
    expect(await trail.verify()).toMatchObject({ valid: true, entries: 7 });
  });

  it('records the source as the topic when the handler is not told the topic', async () => {
    const trail = await newTrail();
    const event = callOpened('call-handled');
    await auditHandler(trail)(event);
    await auditHandler(trail)(event);
    await auditHandler(trail, () => 'prefix.lifecycle.events')(stageChanged('pilot-handled', 1));
    expect((await allOf(trail)).map((e) => [e.eventId === event.id, e.topic])).toEqual([
      [true, 'calls'],
      [false, 'prefix.lifecycle.events'],
    ]);
  });
});

describe('listing', () => {
  it('pages newest first and filters by subject, type and time', async () => {
    const trail = await newTrail();
    const at = (minute: number) => new Date(Date.UTC(2025, 4, 1, 10, minute));
    const calls = [callOpened('call-a', at(0)), callOpened('call-b', at(10)), callOpened('call-a', at(20))];
    for (const event of calls) await trail.append(event, 'calls.events');
    await appended(trail, 2);

    const first = await trail.list({ limit: 2 });
    expect(first.map((e) => e.sequence)).toEqual([5, 4, 3]);
    const next = await trail.list({ limit: 2, cursor: 4 });
    expect(next.map((e) => e.sequence)).toEqual([3, 2, 1]);

    expect((await trail.list({ subject: 'call-a', limit: 10 })).map((e) => e.sequence)).toEqual([3, 1]);
    expect((await trail.list({ type: 'call.opened', limit: 10 })).map((e) => e.sequence)).toEqual([3, 2, 1]);
    const window = await trail.list({
      from: at(10).toISOString(),
      to: at(20).toISOString(),
      limit: 10,
    });
    expect(window.map((e) => e.eventId)).toEqual([calls[1]!.id]);
  });
});

describe('tampering in the database', () => {
  it('finds an entry whose event data was changed', async () => {
    const trail = await newTrail();
    const events = await appended(trail, 5);
    await trail.collection.updateOne({ _id: 3 }, { $set: { 'event.data.to': 'rejected' } });
    expect(await trail.verify()).toMatchObject({
      valid: false,
      entries: 2,
      firstBroken: { sequence: 3, eventId: events[2]!.id, reason: 'hash-mismatch' },
    });
  });

  it('finds a middle entry deleted, at the entry after the gap', async () => {
    const trail = await newTrail();
    const events = await appended(trail, 5);
    await trail.collection.deleteOne({ _id: 3 });
    expect(await trail.verify()).toMatchObject({
      valid: false,
      entries: 2,
      firstBroken: { sequence: 4, eventId: events[3]!.id, reason: 'sequence-gap' },
    });
  });

  it('finds two entries that swapped contents', async () => {
    const trail = await newTrail();
    const events = await appended(trail, 5);
    const [second, fourth] = await Promise.all([
      trail.collection.findOne({ _id: 2 }),
      trail.collection.findOne({ _id: 4 }),
    ]);
    const { _id: _second, ...secondContent } = second!;
    const { _id: _fourth, ...fourthContent } = fourth!;
    // Through a placeholder event id, as the unique index on event ids would refuse the swap.
    await trail.collection.replaceOne({ _id: 4 }, { ...secondContent, eventId: 'placeholder' });
    await trail.collection.replaceOne({ _id: 2 }, fourthContent);
    await trail.collection.replaceOne({ _id: 4 }, secondContent);
    expect(await trail.verify()).toMatchObject({
      valid: false,
      entries: 1,
      firstBroken: { sequence: 2, eventId: events[3]!.id, reason: 'hash-mismatch' },
    });
  });

  it('finds the last entries deleted against a head noted before', async () => {
    const trail = await newTrail();
    await appended(trail, 5);
    const noted = await trail.verify();
    await trail.collection.deleteMany({ _id: { $gte: 4 } });
    expect(await trail.verify()).toMatchObject({ valid: true, entries: 3 });
    expect(await trail.verify({ entries: noted.entries, head: noted.head })).toMatchObject({
      valid: false,
      entries: 3,
      firstBroken: { sequence: 4, eventId: null, reason: 'truncated' },
    });
  });
});

describe('the export, verified offline', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'audit-export-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function cli(args: string[], stdin = Readable.from([])): Promise<{ code: number; output: string }> {
    const lines: string[] = [];
    const code = await verifyCli(args, stdin, (line) => lines.push(line));
    return { code, output: lines.join('\n') };
  }

  it('is the chain in sequence order, one entry per line, which the CLI finds valid', async () => {
    const trail = await newTrail();
    await appended(trail, 6);
    const text = await exportOf(trail);
    const lines = text.trimEnd().split('\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(lines.map((line) => (JSON.parse(line) as AuditEntry).sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    const file = path.join(directory, 'valid.jsonl');
    await writeFile(file, text);
    const { head } = await trail.verify();

    expect(await cli([file])).toEqual({ code: 0, output: `audit trail valid: 6 entries, head ${head}` });
    expect((await cli([file, '--known-head', `6:${head}`])).code).toBe(0);
    expect((await cli(['--known-head', `7:${head}`, file])).code).toBe(1);
    expect((await cli([path.join(directory, 'missing.jsonl')])).code).toBe(2);
    expect((await cli(['--known-head', 'nonsense'])).code).toBe(2);
  });

  it('names the first broken entry of a tampered export, read from a file or from standard input', async () => {
    const trail = await newTrail();
    const events = await appended(trail, 6);
    const lines = (await exportOf(trail)).trimEnd().split('\n');
    const entry = JSON.parse(lines[3]!) as AuditEntry;
    entry.event = { ...entry.event, data: { ...(entry.event.data as object), reason: 'nothing to see' } };
    const tampered = [...lines.slice(0, 3), JSON.stringify(entry), ...lines.slice(4)].join('\n');
    const file = path.join(directory, 'tampered.jsonl');
    await writeFile(file, tampered);

    const fromFile = await cli([file]);
    expect(fromFile.code).toBe(1);
    expect(fromFile.output).toContain(`BROKEN at entry 4 (event ${events[3]!.id}): hash-mismatch`);
    expect(fromFile.output).toContain('entries intact before it: 3,');
    expect((await cli([], Readable.from([tampered]))).output).toBe(fromFile.output);

    const unreadable = [...lines.slice(0, 2), '{"sequence":"three"}', ...lines.slice(3)].join('\n');
    const garbled = await cli([], Readable.from([unreadable]));
    expect(garbled.code).toBe(1);
    expect(garbled.output).toContain('BROKEN at line 3: not an audit entry');
  });

  it('runs as a command: exit status 0 when intact, 1 naming the entry when not', async () => {
    const trail = await newTrail();
    const events = await appended(trail, 3);
    const text = await exportOf(trail);
    const command = [require.resolve('tsx/cli'), path.join(__dirname, '..', 'src', 'audit', 'verify-cli.ts')];
    const run = (input: string) => spawnSync(process.execPath, command, { input, encoding: 'utf8' });

    expect(run(text)).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('audit trail valid: 3 entries'),
    });
    const withoutSecond = text
      .split('\n')
      .filter((_, i) => i !== 1)
      .join('\n');
    expect(run(withoutSecond)).toMatchObject({
      status: 1,
      stdout: expect.stringContaining(`BROKEN at entry 3 (event ${events[2]!.id}): sequence-gap`),
    });
  });
});

describe('over HTTP', () => {
  let issuer: TestIssuer;
  let server: Server;
  let url: string;
  let trail: AuditTrail;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    trail = await newTrail();
    await appended(trail, 3);
    const logger = pino({ level: 'silent' });
    const routes = Router();
    routes.use(
      '/api',
      authenticate({ keys: remoteKeys(issuer.jwksUrl), issuer: issuer.issuer, audience: issuer.audience }),
    );
    routes.use(auditRoutes({ auditTrail: trail, logger }));
    const { app } = createServiceApp({ name: 'audit-test', logger, routes });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await issuer.close();
  });

  const get = async (pathname: string, roles: string[]) => {
    const token = await issuer.token({
      sub: 'someone',
      roles,
      ...(roles.includes('region') ? { region: 'BG41' } : {}),
    });
    return fetch(`${url}${pathname}`, { headers: { authorization: `Bearer ${token}` } });
  };

  it('lets auditors and programme managers read the trail, page by page, and no one else', async () => {
    const page = await get('/api/audit?limit=2', ['auditor']);
    expect(page.status).toBe(200);
    const body = (await page.json()) as { items: AuditEntry[]; nextCursor?: string };
    expect(body.items.map((e) => e.sequence)).toEqual([3, 2]);
    const rest = await get(`/api/audit?limit=2&cursor=${body.nextCursor}`, ['programme-manager']);
    expect(
      ((await rest.json()) as { items: AuditEntry[]; nextCursor?: string }).items.map((e) => e.sequence),
    ).toEqual([1]);
    expect((await get('/api/audit', ['region'])).status).toBe(403);
    expect((await get('/api/audit/verify', ['approver'])).status).toBe(403);
    expect((await get('/api/exports/audit.jsonl', ['reviewer'])).status).toBe(403);
  });

  it.each([
    ['/api/audit?from=yesterday', 'query.from'],
    ['/api/audit?from=2025-05-02T00:00:00Z&to=2025-05-01T00:00:00Z', 'query.to'],
    ['/api/audit?cursor=bm90LWEtbnVtYmVy', 'query.cursor'],
    ['/api/audit?colour=red', 'query.colour'],
    ['/api/audit/verify?entries=3', 'query.head'],
  ])('answers 400 naming the field for %s', async (pathname, field) => {
    const answer = await get(pathname, ['auditor']);
    expect(answer.status).toBe(400);
    const problem = (await answer.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toContain(field);
  });

  it('verifies the chain, and against a head noted before', async () => {
    const answer = await get('/api/audit/verify', ['auditor']);
    const verification = (await answer.json()) as { valid: boolean; entries: number; head: string };
    expect(verification).toEqual({ valid: true, entries: 3, head: (await trail.verify()).head });
    const against = await get(`/api/audit/verify?entries=4&head=${verification.head}`, ['programme-manager']);
    expect(await against.json()).toMatchObject({
      valid: false,
      firstBroken: { sequence: 4, reason: 'truncated' },
    });
  });

  it('streams the export as an ndjson attachment', async () => {
    const answer = await get('/api/exports/audit.jsonl', ['auditor']);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename=audit.jsonl');
    const file = path.join(tmpdir(), `audit-${randomUUID()}.jsonl`);
    await writeFile(file, await answer.text());
    try {
      expect(await readFile(file, 'utf8')).toBe(await exportOf(trail));
      const lines: string[] = [];
      expect(await verifyCli([file], Readable.from([]), (line) => lines.push(line))).toBe(0);
    } finally {
      await rm(file, { force: true });
    }
  });
});
