import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isolation } from '@s3p/testkit';
import { Router } from 'express';
import type { Collection, Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import type { IdempotencyRecord } from '../src';
import { createServiceApp, ensureIdempotencyIndexes, idempotency, ScopedCollection } from '../src';

const names = isolation('service-kit');
let client: MongoClient;
let db: Db;
let server: Server;
let base: string;
let runs = 0;

beforeAll(async () => {
  client = await MongoClient.connect(names.mongoUri);
  db = client.db();
  const records: Collection<IdempotencyRecord> = db.collection('idempotency');
  await ensureIdempotencyIndexes(records);
  const routes = Router();
  routes.use((req, _res, next) => {
    req.principal = { sub: req.get('x-user') ?? 'anna', roles: ['region'], region: 'BG41' };
    next();
  });
  routes.post('/api/things', idempotency(records), async (req, res) => {
    runs += 1;
    if ((req.body as { slow?: boolean }).slow) await new Promise((r) => setTimeout(r, 300));
    if ((req.body as { fail?: boolean }).fail) throw new Error('boom');
    res
      .status(201)
      .location(`/api/things/${runs}`)
      .json({ run: runs, body: req.body as unknown });
  });
  const { app } = createServiceApp({ name: 'kit', logger: pino({ level: 'silent' }), routes });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.dropDatabase();
  await client.close();
});

const post = (body: unknown, key?: string, user?: string) =>
  fetch(`${base}/api/things`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
      ...(user ? { 'x-user': user } : {}),
    },
    body: JSON.stringify(body),
  });

describe('Idempotency-Key', () => {
  it('runs a write once and gives the same answer to its retry', async () => {
    const before = runs;
    const first = await post({ a: 1 }, 'key-1');
    const again = await post({ a: 1 }, 'key-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await first.json());
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(runs).toBe(before + 1);
  });

  it('refuses the same key with another body', async () => {
    await post({ a: 1 }, 'key-2');
    const other = await post({ a: 2 }, 'key-2');
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
  });

  it('keeps keys apart per caller', async () => {
    const before = runs;
    await post({ a: 1 }, 'shared', 'anna');
    const bob = await post({ a: 1 }, 'shared', 'bob');
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(runs).toBe(before + 2);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const slow = post({ slow: true }, 'key-3');
    await new Promise((r) => setTimeout(r, 100));
    const during = await post({ slow: true }, 'key-3');
    expect(during.status).toBe(409);
    expect((await slow).status).toBe(201);
  });

  it('forgets a key whose request failed on our side, so the retry runs', async () => {
    const failed = await post({ fail: true }, 'key-4');
    expect(failed.status).toBe(500);
    await new Promise((r) => setTimeout(r, 100));
    const before = runs;
    const retry = await post({ fail: true }, 'key-4');
    expect(retry.status).toBe(500);
    expect(runs).toBe(before + 1);
  });

  it('refuses a malformed key', async () => {
    const response = await post({ a: 1 }, 'no spaces allowed');
    expect(response.status).toBe(400);
  });
});

describe('ScopedCollection', () => {
  it('never reads or writes outside its scope', async () => {
    const files = db.collection<{ _id: string; region: string; n: number }>('files');
    await files.insertMany([
      { _id: 'a', region: 'BG41', n: 1 },
      { _id: 'b', region: 'EL52', n: 1 },
    ]);
    const bg = new ScopedCollection(files, { region: 'BG41' });
    expect(await bg.findOne({ _id: 'b' })).toBeNull();
    expect((await bg.findOne({ _id: 'a', n: 1 }))?._id).toBe('a');
    expect(await bg.findOne({ _id: { $in: ['b'] } })).toBeNull();
    expect((await bg.find({}).toArray()).map((d) => d._id)).toEqual(['a']);
    expect(await bg.countDocuments({ n: 1 })).toBe(1);
    expect((await bg.updateOne({ _id: 'b' }, { $set: { n: 2 } })).matchedCount).toBe(0);
    expect((await files.findOne({ _id: 'b' }))?.n).toBe(1);
    expect((await bg.updateOne({ _id: 'a' }, { $set: { n: 3 } })).modifiedCount).toBe(1);
    const everyone = new ScopedCollection(files, {});
    expect(await everyone.countDocuments({})).toBe(2);
  });
});
