import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Router } from 'express';
import type { JWK, KeyLike } from 'jose';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import pino from 'pino';
import { z } from 'zod';
import type { TokenVerification } from '../src';
import {
  authenticate,
  ConfigError,
  createServiceApp,
  httpSecurityFromEnvironment,
  parseBody,
  parseQuery,
  principalOf,
} from '../src';

const issuer = 'https://portal.test';
const audience = 's3-pilot';
const allowedOrigin = 'https://portal.example.eu';
const writesPerMinute = 3;
let privateKey: KeyLike;
let otherKey: KeyLike;
let server: Server;
let base: string;
const logLines: string[] = [];
/** Notes the routes accepted: a refused request must never reach them. */
const accepted: unknown[] = [];

const noteBody = z.strictObject({
  title: z.string().min(1).max(50),
  tags: z.array(z.string()).max(5).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
const noteQuery = z.strictObject({ title: z.string().optional() });

const token = (sub: string, key?: KeyLike) =>
  new SignJWT({ sub, roles: ['programme-manager'] })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuedAt()
    .setIssuer(issuer)
    .setAudience(audience)
    .setExpirationTime('5m')
    .sign(key ?? privateKey);

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const verification: TokenVerification = { keys: createLocalJWKSet({ keys: [jwk] }), issuer, audience };

  const routes = Router();
  routes.use('/api', authenticate(verification));
  routes.post('/api/notes', (req, res) => {
    const note = parseBody(noteBody, req);
    accepted.push(note);
    res.status(201).json({ ...note, by: principalOf(req).sub });
  });
  routes.get('/api/notes', (req, res) => {
    res.json({ items: [], query: parseQuery(noteQuery, req) });
  });
  routes.get('/api/notes/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const { app } = createServiceApp({
    name: 'test',
    logger: pino({ level: 'info' }, logs),
    routes,
    security: {
      CORS_ALLOWED_ORIGINS: [allowedOrigin],
      HSTS_MAX_AGE_SECONDS: 3600,
      WRITE_RATE_LIMIT_PER_MINUTE: writesPerMinute,
    },
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Problem {
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

async function send(
  path: string,
  init: { method?: string; body?: string | Buffer; headers?: Record<string, string>; sub?: string } = {},
) {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${await token(init.sub ?? 'guarded')}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as Problem,
  };
}

/** `{"deeper":{"deeper":…"bottom"…}}` written out, since JSON.stringify itself overflows the stack long before 8,000 levels. */
const nested = (depth: number) => `${'{"deeper":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;

describe('a hostile body or query is refused with 400 naming the field, and reaches no route', () => {
  beforeEach(() => {
    accepted.length = 0;
  });
  afterEach(() => {
    expect(accepted).toEqual([]);
  });

  test.each<[string, string, string]>([
    ['an operator where a string belongs', '{"title": {"$gt": ""}}', 'body.title.$gt'],
    ['an operator deep inside', '{"title": "t", "meta": {"a": [{"$where": "1"}]}}', 'body.meta.a.0.$where'],
    ['a dotted field name', '{"title": "t", "meta": {"status.approved": true}}', 'body.meta.status.approved'],
    ['a prototype key', '{"title": "t", "meta": {"__proto__": {"admin": true}}}', 'body.meta.__proto__'],
    ['a NUL character', '{"title": "ab\\u0000cd"}', 'body.title'],
    ['a lone surrogate', '{"title": "ab\\ud800cd"}', 'body.title'],
    ['a NUL in a field name', '{"title": "t", "meta": {"a\\u0000": 1}}', 'body.meta.a\u0000'],
  ])('%s', async (_case, body, path) => {
    const res = await send('/api/notes', { body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.errors?.map((e) => e.path)).toContain(path);
  });

  test('nesting past the depth limit, however deep, is a 400 and never a stack overflow', async () => {
    for (const depth of [17, 8_000]) {
      const res = await send('/api/notes', { body: `{"title":"t","meta":${nested(depth)}}` });
      expect({ depth, status: res.status }).toEqual({ depth, status: 400 });
      expect(res.body.errors?.[0]?.message).toBe('nested deeper than 16 levels');
    }
    const raw = `{"title":"t","meta":{"x":${'['.repeat(40_000)}${']'.repeat(40_000)}}}`;
    expect((await send('/api/notes', { body: raw })).status).toBe(400);
  });

  test('a huge array is refused at its path', async () => {
    const res = await send('/api/notes', {
      body: JSON.stringify({ title: 't', tags: Array.from({ length: 5_000 }, () => 'x') }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body.tags', message: 'more than 1000 items' }]);
  });

  test('bytes that are not UTF-8 are refused, not turned into U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"title": "ab'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await send('/api/notes', { body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ detail: 'the body is not valid UTF-8', errors: [{ path: 'body' }] });
  });

  test('a charset other than UTF-8 is 415', async () => {
    const body = Buffer.from(JSON.stringify({ title: 'utf16' }), 'utf16le');
    const res = await send('/api/notes', {
      body,
      headers: { 'content-type': 'application/json; charset=utf-16le' },
    });
    expect(res.status).toBe(415);
  });

  test.each<[string, string]>([
    ['/api/notes?$where=1', 'query.$where'],
    ['/api/notes?title[$ne]=x', 'query.title[$ne]'],
    ['/api/notes?title.x=1', 'query.title.x'],
    ['/api/notes?title=%F0%9F', 'query.title'],
  ])('the query %s', async (path, field) => {
    const res = await send(path);
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.path)).toContain(field);
  });

  test('NUL anywhere in the URL, and a path that is not valid percent-encoding, are 400, not 500', async () => {
    for (const path of ['/api/notes?title=a%00b', '/api/notes/a%00b', '/api/notes/%E0%A4%A']) {
      const res = await send(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('security headers', () => {
  test.each([
    ['an answer', '/api/notes'],
    ['a problem', '/api/notes?$where=1'],
    ['an unknown route', '/nowhere'],
  ])('on %s', async (_case, path) => {
    const res = await send(path);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers.get('strict-transport-security')).toBe('max-age=3600; includeSubDomains');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('strict CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${base}/api/notes`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  test('a preflight from an allowed origin is answered for that origin only', async () => {
    const res = await preflight(allowedOrigin);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toContain('Origin');
  });

  test('a preflight from any other origin gets no allow header', async () => {
    const res = await preflight('https://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    for (const name of ['allow-origin', 'allow-methods', 'allow-headers']) {
      expect(res.headers.get(`access-control-${name}`)).toBeNull();
    }
  });

  test('a request from another origin is answered without an allow header, never with *', async () => {
    const other = await send('/api/notes', { headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await send('/api/notes', { headers: { origin: allowedOrigin } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('etag');
  });
});

describe('the write limit per principal', () => {
  test('counts accepted writes only, answers 429 with Retry-After past it, and keeps others unaffected', async () => {
    const forged = await token('limited', otherKey);
    for (let i = 0; i < writesPerMinute + 2; i++) {
      const res = await fetch(`${base}/api/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${forged}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'forged' }),
      });
      expect(res.status).toBe(401);
    }
    for (let i = 0; i < writesPerMinute; i++) {
      const res = await send('/api/notes', { sub: 'limited', body: JSON.stringify({ title: `n${i}` }) });
      expect(res.status).toBe(201);
    }
    const refused = await send('/api/notes', { sub: 'limited', body: JSON.stringify({ title: 'one more' }) });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.body.title).toBe('Too Many Requests');
    expect(accepted).not.toContainEqual({ title: 'one more' });

    expect((await send('/api/notes', { sub: 'limited' })).status).toBe(200);
    const other = await send('/api/notes', { sub: 'someone-else', body: JSON.stringify({ title: 'fine' }) });
    expect(other.status).toBe(201);
  });
});

describe('the logs', () => {
  test('hold neither the bearer token nor a password sent in the body', async () => {
    const bearer = await token('logged');
    const password = 'correct horse battery staple';
    const response = await fetch(`${base}/api/notes?title=visible-marker`, {
      method: 'GET',
      headers: { authorization: `Bearer ${bearer}`, 'x-request-id': 'log-check-1' },
    });
    expect(response.status).toBe(200);
    await fetch(`${base}/api/notes`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
        'x-request-id': 'log-check-2',
      },
      body: JSON.stringify({ title: 'x', meta: { password } }),
    });
    await fetch(`${base}/api/notes/%E0%A4%A`, { headers: { authorization: `Bearer ${bearer}` } });
    const logged = logLines.join('');
    expect(logged).toContain('log-check-1');
    expect(logged).toContain('log-check-2');
    // The headers are logged, the Authorization header among them, but only as redacted.
    expect(logged).toContain('"authorization":"[Redacted]"');
    expect(logged).not.toContain(bearer);
    expect(logged).not.toContain(bearer.split('.')[2]!);
    expect(logged).not.toContain(password);
  });
});

describe('the HTTP security settings', () => {
  test('default to no CORS origin, HSTS for 180 days and a write limit the benchmark stays under', () => {
    expect(httpSecurityFromEnvironment({})).toEqual({
      CORS_ALLOWED_ORIGINS: [],
      HSTS_MAX_AGE_SECONDS: 15_552_000,
      WRITE_RATE_LIMIT_PER_MINUTE: 12_000,
    });
  });

  test.each(['*', 'https://portal.example.eu/', 'https://portal.example.eu/app', 'portal.example.eu'])(
    'refuse %s as an origin at start-up',
    (value) => {
      expect(() => httpSecurityFromEnvironment({ CORS_ALLOWED_ORIGINS: value })).toThrow(ConfigError);
    },
  );

  test('HSTS 0 sends no Strict-Transport-Security', async () => {
    const { app } = createServiceApp({
      name: 'plain-http',
      logger: pino({ level: 'silent' }),
      routes: Router(),
      security: { CORS_ALLOWED_ORIGINS: [], HSTS_MAX_AGE_SECONDS: 0, WRITE_RATE_LIMIT_PER_MINUTE: 10 },
    });
    const plain = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => plain.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/healthz`);
      expect(response.status).toBe(200);
      expect(response.headers.get('strict-transport-security')).toBeNull();
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });
});
