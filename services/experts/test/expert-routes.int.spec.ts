import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestIssuer } from '@s3p/testkit';
import { isolation, startTestIssuer } from '@s3p/testkit';
import { authenticate, createServiceApp, remoteKeys } from '@s3p/service-kit';
import { Router } from 'express';
import type { Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { expertRoutes } from '../src/http/expert-routes';
import type { ExpertDocument } from '../src/store/expert-registry';
import { ExpertRegistry } from '../src/store/expert-registry';

const names = isolation('expert-routes');
let client: MongoClient;
let db: Db;
let issuer: TestIssuer;
let server: Server;
let base: string;
let pokes = 0;

beforeAll(async () => {
  client = await MongoClient.connect(names.mongoUri);
  db = client.db();
  const experts = new ExpertRegistry(db.collection<ExpertDocument>('experts'));
  await experts.ensureIndexes();
  issuer = await startTestIssuer();
  const routes = Router();
  routes.use(
    '/api',
    authenticate({ keys: remoteKeys(issuer.jwksUrl), issuer: issuer.issuer, audience: issuer.audience }),
  );
  routes.use(expertRoutes({ experts, poke: () => (pokes += 1) }));
  const { app } = createServiceApp({ name: 'experts', logger: pino({ level: 'silent' }), routes });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await issuer.close();
  await db.dropDatabase();
  await client.close();
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function as(
  role: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  // A region's token names its region, or it is refused before any role is looked at.
  const token = await issuer.token({
    sub: `${role}-user`,
    roles: [role],
    ...(role === 'region' ? { region: 'SI03', country: 'SI' } : {}),
  });
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} } as Answer;
}

const manager = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  as('programme-manager', method, path, body, headers);

const expert = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: `Expert ${id}`,
  country: 'SI',
  languages: ['sl', 'en'],
  domains: [{ kind: 'economic', naceSection: 'D' }],
  supportAreas: ['investment-barriers'],
  capacity: 2,
  ...overrides,
});

const errorPaths = (answer: Answer) => (answer.body.errors as { path: string }[]).map((e) => e.path);

describe('POST /api/experts', () => {
  it('registers an expert: 201 with its view, its version as ETag, and wakes the relay', async () => {
    const before = pokes;
    const answer = await manager('POST', '/api/experts', expert('mateja.novak'));
    expect(answer.status).toBe(201);
    expect(answer.headers.get('etag')).toBe('"1"');
    expect(answer.headers.get('location')).toBe('/api/experts/mateja.novak');
    expect(answer.body).toMatchObject({
      id: 'mateja.novak',
      version: 1,
      capacity: 2,
      load: 0,
      holds: [],
      active: true,
      availability: [],
      conflicts: { regions: [], countries: [], organisations: [] },
      createdBy: 'programme-manager-user',
    });
    expect(answer.body).not.toHaveProperty('outbox');
    expect(answer.body).not.toHaveProperty('_id');
    expect(pokes).toBe(before + 1);
  });

  it('answers 409 for an id already in the registry', async () => {
    await manager('POST', '/api/experts', expert('jan.horvat'));
    const again = await manager('POST', '/api/experts', expert('jan.horvat'));
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('names the field at fault in a bad body', async () => {
    const answer = await manager('POST', '/api/experts', expert('bad.one', { capacity: 0, colour: 'red' }));
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(errorPaths(answer)).toEqual(expect.arrayContaining(['body.capacity', 'body.colour']));
    const bare = await manager('POST', '/api/experts', expert('bare.one', { domains: [], supportAreas: [] }));
    expect(errorPaths(bare)).toEqual(['body.domains']);
  });

  it('is for programme managers only', async () => {
    for (const role of ['approver', 'auditor', 'expert', 'region']) {
      expect((await as(role, 'POST', '/api/experts', expert(`by.${role}`))).status).toBe(403);
    }
  });
});

describe('GET /api/experts', () => {
  beforeAll(async () => {
    for (const id of ['list.a', 'list.b', 'list.c', 'list.d', 'list.e']) {
      await manager('POST', '/api/experts', expert(id, { country: 'LV', languages: ['lv'] }));
    }
    await manager('PATCH', '/api/experts/list.e', { active: false });
  });

  it('pages through the filtered registry by id with nextCursor', async () => {
    const seen: string[] = [];
    let path = '/api/experts?country=LV&active=true&limit=2';
    for (;;) {
      const page = await as('auditor', 'GET', path);
      expect(page.status).toBe(200);
      seen.push(...(page.body.items as { id: string }[]).map((item) => item.id));
      if (!page.body.nextCursor) break;
      path = `/api/experts?country=LV&active=true&limit=2&cursor=${String(page.body.nextCursor)}`;
    }
    expect(seen).toEqual(['list.a', 'list.b', 'list.c', 'list.d']);
  });

  it('filters by domain', async () => {
    const energy = await as('approver', 'GET', '/api/experts?domain=nace:D&country=LV&limit=100');
    expect((energy.body.items as unknown[]).length).toBe(5);
    const health = await as('approver', 'GET', '/api/experts?domain=nabs:07&country=LV');
    expect(health.body.items).toEqual([]);
  });

  it('refuses a filter it cannot read, naming it', async () => {
    for (const [query, field] of [
      ['domain=nace:Z', 'query.domain'],
      ['domain=nace:C.29', 'query.domain'],
      ['domain=constructor:x', 'query.domain'],
      ['cursor=%21%21', 'query.cursor'],
      ['active=yes', 'query.active'],
      ['country=UK', 'query.country'],
      ['limit=0', 'query.limit'],
      ['colour=red', 'query.colour'],
    ] as const) {
      const answer = await manager('GET', `/api/experts?${query}`);
      expect({ query, status: answer.status, paths: errorPaths(answer) }).toEqual({
        query,
        status: 400,
        paths: [field],
      });
    }
  });

  it('is not for experts or regions', async () => {
    expect((await as('expert', 'GET', '/api/experts')).status).toBe(403);
    expect((await as('region', 'GET', '/api/experts')).status).toBe(403);
  });
});

describe('GET /api/experts/{id}', () => {
  it('answers the expert with its ETag, and 404 for an unknown or impossible id', async () => {
    await manager('POST', '/api/experts', expert('one.to.read'));
    const found = await as('auditor', 'GET', '/api/experts/one.to.read');
    expect(found.status).toBe(200);
    expect(found.headers.get('etag')).toBe('"1"');
    expect(found.body).toMatchObject({ id: 'one.to.read', load: 0, capacity: 2 });
    expect((await manager('GET', '/api/experts/nobody.here')).status).toBe(404);
    expect((await manager('GET', '/api/experts/NOT%20AN%20ID')).status).toBe(404);
  });
});

describe('PATCH /api/experts/{id}', () => {
  it('changes an expert at the version in If-Match, and answers 412 with the current ETag when stale', async () => {
    await manager('POST', '/api/experts', expert('to.change'));
    const changed = await manager('PATCH', '/api/experts/to.change', { capacity: 4 }, { 'if-match': '"1"' });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
    expect(changed.body).toMatchObject({ capacity: 4, version: 2, updatedBy: 'programme-manager-user' });

    const stale = await manager('PATCH', '/api/experts/to.change', { capacity: 1 }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect((await manager('GET', '/api/experts/to.change')).body).toMatchObject({ capacity: 4 });

    const unconditional = await manager('PATCH', '/api/experts/to.change', { active: false });
    expect(unconditional.body).toMatchObject({ active: false, version: 3 });
  });

  it('refuses a bad patch or If-Match, naming the field, and 404s an unknown expert', async () => {
    await manager('POST', '/api/experts', expert('patched.badly'));
    const empty = await manager('PATCH', '/api/experts/patched.badly', {});
    expect(empty.status).toBe(400);
    const renamed = await manager('PATCH', '/api/experts/patched.badly', { id: 'other', capacity: 3 });
    expect(errorPaths(renamed)).toEqual(['body.id']);
    const badTag = await manager(
      'PATCH',
      '/api/experts/patched.badly',
      { capacity: 2 },
      { 'if-match': 'v1' },
    );
    expect(errorPaths(badTag)).toEqual(['headers.if-match']);
    expect((await manager('PATCH', '/api/experts/nobody.here', { capacity: 2 })).status).toBe(404);
    expect((await as('approver', 'PATCH', '/api/experts/patched.badly', { capacity: 2 })).status).toBe(403);
  });
});
