import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Router } from 'express';
import { MongoServerError } from 'mongodb';
import type { JWK, KeyLike } from 'jose';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import pino from 'pino';
import { z } from 'zod';
import type { TokenVerification } from '../src';
import { authenticate, createServiceApp, parseBody, principalOf, requireRole } from '../src';

const issuer = 'https://portal.test';
const audience = 's3-pilot';
let privateKey: KeyLike;
let otherKey: KeyLike;
let server: Server;
let base: string;
let ready = true;

const noteBody = z.strictObject({ title: z.string().min(1).max(50), amount: z.number().int().nonnegative() });

async function token(
  claims: Record<string, unknown>,
  options: { key?: KeyLike; expiresIn?: string; iss?: string } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuedAt()
    .setIssuer(options.iss ?? issuer)
    .setAudience(audience)
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? privateKey);
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const verification: TokenVerification = { keys: createLocalJWKSet({ keys: [jwk] }), issuer, audience };

  const routes = Router();
  routes.use('/api', authenticate(verification));
  routes.post('/api/notes', requireRole('programme-manager'), (req, res) => {
    const note = parseBody(noteBody, req);
    res.status(201).json({ ...note, by: principalOf(req).sub });
  });
  routes.get('/api/me', (req, res) => {
    res.json(principalOf(req));
  });
  routes.get('/busy', () => {
    throw new MongoServerError({ message: 'database is locked (5) (SQLITE_BUSY)', code: 1 });
  });
  routes.get('/broken', () => {
    throw new MongoServerError({ message: 'E11000 something else entirely', code: 2 });
  });
  const { app } = createServiceApp({
    name: 'test',
    logger: pino({ level: 'silent' }),
    routes,
    readiness: {
      database: async () => {
        if (!ready) throw new Error('database unreachable');
      },
    },
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface ResponseBody {
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  [field: string]: unknown;
}

const manager = () => token({ sub: 'manager', roles: ['programme-manager'] });

async function post(body: string, headers: Record<string, string>) {
  const response = await fetch(`${base}/api/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (await response.json()) as ResponseBody,
  };
}

test('a valid request from an allowed role succeeds', async () => {
  const res = await post(JSON.stringify({ title: 'Budget', amount: 100 }), {
    authorization: `Bearer ${await manager()}`,
  });
  expect(res).toMatchObject({ status: 201, body: { title: 'Budget', amount: 100, by: 'manager' } });
});

describe('bad input gets a clear 4xx problem', () => {
  test('malformed JSON → 400', async () => {
    const res = await post('{"title": ', { authorization: `Bearer ${await manager()}` });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      title: 'Bad Request',
      status: 400,
      detail: 'the body is not valid JSON',
    });
  });

  test('wrong types and unknown fields → 400 naming each field', async () => {
    const res = await post(JSON.stringify({ title: 7, amount: 1, status: 'approved' }), {
      authorization: `Bearer ${await manager()}`,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.path).sort()).toEqual(['body.status', 'body.title']);
  });

  test('a body over the limit → 413', async () => {
    const res = await post(JSON.stringify({ title: 'x'.repeat(200_000), amount: 1 }), {
      authorization: `Bearer ${await manager()}`,
    });
    expect(res).toMatchObject({ status: 413, body: { title: 'Content Too Large' } });
  });

  test('a body that is not JSON → 415', async () => {
    const res = await post('title=x', {
      'content-type': 'text/plain',
      authorization: `Bearer ${await manager()}`,
    });
    expect(res.status).toBe(415);
  });

  test('an unknown route → 404 problem', async () => {
    const response = await fetch(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('a busy database', () => {
  test('is a 503 with Retry-After, not a 500', async () => {
    const response = await fetch(`${base}/busy`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(((await response.json()) as ResponseBody).title).toBe('Service Unavailable');
  });

  test('while any other database error stays a 500 that says nothing', async () => {
    const response = await fetch(`${base}/broken`);
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain('E11000');
  });
});

describe('tokens and roles', () => {
  test.each([
    ['no token', async () => ({})],
    ['not a bearer token', async () => ({ authorization: 'Basic abc' })],
    ['garbage', async () => ({ authorization: 'Bearer not.a.jwt' })],
    [
      'expired',
      async () => ({
        authorization: `Bearer ${await token({ sub: 'm', roles: ['programme-manager'] }, { expiresIn: '-2m' })}`,
      }),
    ],
    [
      'wrong key',
      async () => ({
        authorization: `Bearer ${await token({ sub: 'm', roles: ['programme-manager'] }, { key: otherKey })}`,
      }),
    ],
    [
      'wrong issuer',
      async () => ({
        authorization: `Bearer ${await token({ sub: 'm', roles: ['programme-manager'] }, { iss: 'https://evil' })}`,
      }),
    ],
    ['unknown role', async () => ({ authorization: `Bearer ${await token({ sub: 'm', roles: ['root'] })}` })],
    [
      'region token without a region',
      async () => ({ authorization: `Bearer ${await token({ sub: 'r', roles: ['region'] })}` }),
    ],
    [
      'alg none',
      async () => {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        return {
          authorization: `Bearer ${enc({ alg: 'none' })}.${enc({ sub: 'm', roles: ['programme-manager'], iss: issuer, aud: audience, iat: now, exp: now + 60 })}.`,
        };
      },
    ],
  ])('%s → 401', async (_name, headers) => {
    const res = await post(JSON.stringify({ title: 'x', amount: 1 }), await headers());
    expect(res.status).toBe(401);
    expect(res.body.title).toBe('Unauthorized');
  });

  test('a role that may not → 403', async () => {
    const reviewer = await token({ sub: 'reviewer1', roles: ['reviewer'] });
    const res = await post(JSON.stringify({ title: 'x', amount: 1 }), {
      authorization: `Bearer ${reviewer}`,
    });
    expect(res.status).toBe(403);
  });

  test('the principal carries the region claim', async () => {
    const region = await token({ sub: 'region-bg41', roles: ['region'], region: 'BG41', country: 'BG' });
    const response = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${region}` } });
    expect(await response.json()).toEqual({
      sub: 'region-bg41',
      roles: ['region'],
      region: 'BG41',
      country: 'BG',
    });
  });
});

test('health, readiness and metrics', async () => {
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  ready = false;
  const notReady = await fetch(`${base}/readyz`);
  expect(notReady.status).toBe(503);
  expect(await notReady.json()).toMatchObject({ checks: { database: 'database unreachable' } });
  ready = true;
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toContain('http_request_duration_seconds_bucket');
  expect(metrics).toContain('service="test"');
});
