import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnyEnvelope } from '@s3p/contracts';
import { createKafka, dlqTopicOf, readDeadLetters } from '@s3p/messaging';
import { stackEndpoints } from '@s3p/testkit';
import { Partitioners } from 'kafkajs';
import type { User } from './support/client';
import { applicationDraft, callDraft, eventually, inSeconds, signIn } from './support/client';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';
import type { Tap } from './support/wire';
import { tap } from './support/wire';

/**
 * Hostile input through the portal against the real platform: every refusal is a 4xx
 * problem+json naming the field, never a 500, and changes nothing; the answers carry the
 * security headers, CORS allows no stranger, the rate limits answer 429 with Retry-After, and
 * no token or password reaches a log.
 */
let platform: Platform;
let wire: Tap;
let manager: User;
let bulgaria: User;
let managerToken: string;
let bulgarianToken: string;
/** A call every demo region may apply to, open for the whole file. */
let openCallId: string;

type Problem = {
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
};
type Resource = { id: string; status: string; version: number } & Record<string, unknown>;

async function tokenOf(username: string, password = 'demo'): Promise<string> {
  const response = await fetch(`${platform.portal}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A request exactly as given: the body's bytes and the headers unchanged. */
async function raw(
  method: string,
  target: string,
  init: { body?: string | Buffer; headers?: Record<string, string>; token?: string } = {},
) {
  const response = await fetch(`${platform.portal}${target}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    headers: response.headers,
    type,
    body: (type.includes('json') && text ? JSON.parse(text) : {}) as Problem & Record<string, unknown>,
  };
}

const json = { 'content-type': 'application/json' };
const callCount = async () =>
  (await manager.request<{ items: unknown[] }>('GET', '/api/calls?limit=100')).body.items.length;

beforeAll(async () => {
  platform = await startPlatform('e2e-hostile');
  wire = await tap([`${platform.topicPrefix}calls.events`]);
  manager = await signIn(platform.portal, 'manager');
  bulgaria = await signIn(platform.portal, 'region-bg41');
  managerToken = await tokenOf('manager');
  bulgarianToken = await tokenOf('region-bg41');
  const created = await manager.request<Resource>('POST', '/api/calls', callDraft('industrial-transition'));
  expect(created.status).toBe(201);
  expect((await manager.request('POST', `/api/calls/${created.body.id}/publish`)).status).toBe(200);
  openCallId = created.body.id;
  await eventually(async () => {
    const answer = await bulgaria.request('POST', '/api/applications', applicationDraft(openCallId));
    return answer.status === 201 || undefined;
  }, 'the applications service to see the call open');
});

afterAll(async () => {
  await wire?.stop();
  await platform?.stop();
});

describe('hostile bodies and queries are refused with 400 naming the field, and change nothing', () => {
  it('refuses operators, dotted and $ names, NUL, lone surrogates, bad UTF-8, deep nesting and huge arrays', async () => {
    const before = await callCount();
    const draft = JSON.stringify(callDraft('industrial-transition'));
    const withField = (field: string) => `${draft.slice(0, -1)},${field}}`;
    const cases: [string, string | Buffer, string][] = [
      // A repeated name: JSON.parse keeps the last, so this title is the operator.
      ['an operator where a string belongs', withField('"title":{"$gt":""}'), 'body.title.$gt'],
      ['an update operator', withField('"$set":{"status":"open"}'), 'body.$set'],
      ['a dotted name', withField('"eligibility.minCountries":0'), 'body.eligibility.minCountries'],
      ['a NUL character', draft.replace('A call written', 'A call\\u0000 written'), 'body.summary'],
      ['a lone surrogate', draft.replace('A call written', 'A call\\ud800 written'), 'body.summary'],
      [
        'bytes that are not UTF-8',
        Buffer.concat([
          Buffer.from(draft.slice(0, 20)),
          Buffer.from([0xc3, 0x28]),
          Buffer.from(draft.slice(20)),
        ]),
        'body',
      ],
      [
        'nesting 8,000 levels deep',
        withField(`"deep":${'['.repeat(8_000)}${']'.repeat(8_000)}`),
        'body.deep.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0',
      ],
      [
        'a huge array',
        JSON.stringify({
          ...callDraft('industrial-transition'),
          // Small items, so that the body stays under the size limit and the length is what is refused.
          prioritySectors: Array.from({ length: 5_000 }, () => 0),
        }),
        'body.prioritySectors',
      ],
    ];
    for (const [name, body, field] of cases) {
      const answer = await raw('POST', '/api/calls', { body, headers: json, token: managerToken });
      expect({ name, status: answer.status }).toEqual({ name, status: 400 });
      expect(answer.type).toContain('application/problem+json');
      expect({ name, paths: answer.body.errors?.map((e) => e.path) }).toEqual({
        name,
        paths: expect.arrayContaining([field]) as unknown,
      });
    }
    expect(await callCount()).toBe(before);
  });

  it('refuses operator injection in a sign-in, whose body is read before any token', async () => {
    const answer = await raw('POST', '/api/auth/token', {
      body: JSON.stringify({ username: 'manager', password: { $gt: '' } }),
      headers: json,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.path)).toContain('body.password.$gt');
    expect(answer.body).not.toHaveProperty('access_token');
  });

  it('refuses operators, NUL and broken encoding in queries and paths, never with a 500', async () => {
    const cases: [string, number, string | undefined][] = [
      ['/api/calls?status[$ne]=draft', 400, 'query.status[$ne]'],
      ['/api/calls?$where=1', 400, 'query.$where'],
      ['/api/applications?callId.$gt=', 400, 'query.callId.$gt'],
      ['/api/calls?status=%F0%9F', 400, 'query.status'],
      ['/api/calls?status=open%00', 400, 'url'],
      ['/api/calls/%00', 400, 'url'],
      ['/api/calls/%E0%A4%A', 400, undefined],
      ['/api/pilots/%E0%A4%A', 400, undefined],
    ];
    for (const [target, status, field] of cases) {
      const answer = await raw('GET', target, { token: managerToken });
      expect({ target, status: answer.status }).toEqual({ target, status });
      expect(answer.type).toContain('application/problem+json');
      if (field) expect(answer.body.errors?.map((e) => e.path)).toContain(field);
    }
  });

  it('refuses every privileged field a client might try to set, by name', async () => {
    const before = await callCount();
    const privileged: [string, Record<string, unknown>][] = [
      ['/api/calls', { ...callDraft('industrial-transition'), status: 'open' }],
      ['/api/calls', { ...callDraft('industrial-transition'), id: 'chosen-id' }],
      ['/api/calls', { ...callDraft('industrial-transition'), remainingBudget: 10 }],
      ['/api/calls', { ...callDraft('industrial-transition'), createdAt: inSeconds(-3600) }],
      ['/api/calls', { ...callDraft('industrial-transition'), version: 7 }],
      ['/api/applications', { ...applicationDraft(openCallId), region: 'EL30' }],
      ['/api/applications', { ...applicationDraft(openCallId), status: 'submitted' }],
      ['/api/applications', { ...applicationDraft(openCallId), submittedAt: inSeconds(-3600) }],
      ['/api/applications', { ...applicationDraft(openCallId), score: 100 }],
    ];
    for (const [target, body] of privileged) {
      const user = target === '/api/calls' ? manager : bulgaria;
      const field = Object.keys(body).at(-1)!;
      const answer = await user.request<Problem>('POST', target, body);
      expect({ field, status: answer.status }).toEqual({ field, status: 400 });
      expect(answer.body.errors?.map((e) => e.path)).toContain(`body.${field}`);
    }
    const [mine] = (await bulgaria.request<{ items: Resource[] }>('GET', '/api/applications?limit=100')).body
      .items;
    const patched = await bulgaria.request<Problem>('PATCH', `/api/applications/${mine!.id}`, {
      status: 'approved',
    });
    expect(patched.status).toBe(400);
    expect(patched.body.errors?.map((e) => e.path)).toContain('body.status');
    const prefs = await bulgaria.request<Problem>('PUT', '/api/notifications/preferences', {
      recipient: 'manager',
    });
    expect(prefs.status).toBe(400);
    expect(prefs.body.errors?.map((e) => e.path)).toContain('body.recipient');
    expect(await callCount()).toBe(before);
    const after = await bulgaria.request<Resource>('GET', `/api/applications/${mine!.id}`);
    expect(after.body.status).toBe('draft');
  });

  it('answers 415 for every body that is not UTF-8 JSON', async () => {
    const body = JSON.stringify(callDraft('industrial-transition'));
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
    ]) {
      const answer = await raw('POST', '/api/calls', {
        body,
        headers: { 'content-type': contentType },
        token: managerToken,
      });
      expect({ contentType, status: answer.status }).toEqual({ contentType, status: 415 });
      expect(answer.type).toContain('application/problem+json');
    }
    const untyped = await raw('POST', '/api/calls', { body, token: managerToken });
    expect(untyped.status).toBe(415);
  });

  it('refuses page-size abuse on every list', async () => {
    for (const list of ['/api/calls', '/api/applications', '/api/pilots', '/api/notifications']) {
      for (const limit of ['101', '1000000', '0', '-1', 'abc', '10.5', '', '5&limit=6']) {
        const answer = await manager.request<Problem>('GET', `${list}?limit=${limit}`);
        expect({ list, limit, status: answer.status }).toEqual({ list, limit, status: 400 });
        expect(answer.body.errors?.map((e) => e.path)).toContain('query.limit');
      }
    }
  });
});

describe('concurrency and idempotency keep their promises', () => {
  it('answers 422 for an Idempotency-Key reused with another body, and replays the first answer', async () => {
    const key = `hostile-${randomUUID()}`;
    const first = callDraft('industrial-transition');
    const created = await manager.request<Resource>('POST', '/api/calls', first, { 'idempotency-key': key });
    expect(created.status).toBe(201);
    const other = await manager.request<Problem>(
      'POST',
      '/api/calls',
      { ...first, title: 'Another call' },
      {
        'idempotency-key': key,
      },
    );
    expect(other.status).toBe(422);
    const again = await manager.request<Resource>('POST', '/api/calls', first, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(created.body.id);
    const titles = (
      await manager.request<{ items: Resource[] }>('GET', '/api/calls?limit=100')
    ).body.items.map((c) => c.title);
    expect(titles.filter((t) => t === first.title)).toHaveLength(1);
    expect(titles).not.toContain('Another call');
  });

  it('answers 412 for a stale If-Match and leaves the newer state alone', async () => {
    const created = await manager.request<Resource>('POST', '/api/calls', callDraft('industrial-transition'));
    const tag = created.headers.get('etag')!;
    const first = await manager.request<Resource>(
      'PATCH',
      `/api/calls/${created.body.id}`,
      { summary: 'First edit.' },
      {
        'if-match': tag,
      },
    );
    expect(first.status).toBe(200);
    const stale = await manager.request<Problem>(
      'PATCH',
      `/api/calls/${created.body.id}`,
      { summary: 'Stale edit.' },
      {
        'if-match': tag,
      },
    );
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe(first.headers.get('etag'));
    const now = await manager.request<Resource>('GET', `/api/calls/${created.body.id}`);
    expect(now.body.summary).toBe('First edit.');
  });

  it('decides a deadline by the server clock, whatever time the client claims', async () => {
    const created = await manager.request<Resource>(
      'POST',
      '/api/calls',
      callDraft('industrial-transition', { closesAt: inSeconds(8) }),
    );
    await manager.request('POST', `/api/calls/${created.body.id}/publish`);
    const draft = await eventually(async () => {
      const answer = await bulgaria.request<Resource>(
        'POST',
        '/api/applications',
        applicationDraft(created.body.id),
      );
      return answer.status === 201 ? answer.body : undefined;
    }, 'the applications service to see the short call open');
    const closesAt = Date.parse(String(created.body.closesAt));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt - Date.now() + 500)));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    const late = await bulgaria.request<Problem>(
      'POST',
      `/api/applications/${draft.id}/submit`,
      { submittedAt: anHourAgo.toISOString() },
      { date: anHourAgo.toUTCString() },
    );
    expect(late.status).toBe(422);
    expect(late.body.errors?.map((e) => e.path)).toContain('callId');
    const after = await bulgaria.request<Resource>('GET', `/api/applications/${draft.id}`);
    expect(after.body.status).toBe('draft');
  });
});

describe('events from other services are untrusted input too', () => {
  it('sends an event of an unknown schema version, or with a wrong field type, to the DLQ and acts on neither', async () => {
    const published = await eventually(
      () => Promise.resolve(wire.events.find((e) => e.type === 'call.published' && e.subject === openCallId)),
      'the open call published on the wire',
    );
    const forged = (
      mutate: (event: AnyEnvelope & { data: { call: Record<string, unknown> } }) => unknown,
    ) => {
      const copy = structuredClone(published) as AnyEnvelope & { data: { call: Record<string, unknown> } };
      const callId = `forged-${randomUUID()}`;
      copy.id = randomUUID();
      copy.subject = callId;
      copy.data.call.id = callId;
      return { callId, value: JSON.stringify(mutate(copy)) };
    };
    const poison = [
      forged((e) => ({ ...e, version: 2 })),
      forged((e) => ({ ...e, data: { call: { ...e.data.call, totalBudget: 'lots' } } })),
      forged((e) => ({ ...e, data: { call: { ...e.data.call, status: 'open', $set: { open: true } } } })),
      forged((e) => ({ ...e, actor: { kind: 'system', elevated: true } })),
    ];
    const kafka = createKafka({
      brokers: stackEndpoints().KAFKA_BROKERS.split(','),
      clientId: 'e2e-hostile-events',
    });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const topic = `${platform.topicPrefix}calls.events`;
    await producer.send({ topic, messages: poison.map(({ callId, value }) => ({ key: callId, value })) });
    await producer.disconnect();

    const dlq = dlqTopicOf(topic, `${platform.topicPrefix}applications`);
    const letters = await eventually(async () => {
      const keys = new Set((await readDeadLetters(kafka, dlq)).map((l) => l.key));
      return poison.every((p) => keys.has(p.callId)) || undefined;
    }, 'every forged event in the DLQ');
    expect(letters).toBe(true);
    for (const { callId } of poison) {
      const answer = await bulgaria.request('POST', '/api/applications', applicationDraft(callId));
      expect({ callId, status: answer.status }).toEqual({ callId, status: 422 });
    }
  });
});

describe('headers, CORS, rate limits and logs', () => {
  const securityHeadersOf = (headers: Headers) => ({
    nosniff: headers.get('x-content-type-options'),
    frame: headers.get('x-frame-options'),
    referrer: headers.get('referrer-policy'),
    hsts: headers.get('strict-transport-security'),
    poweredBy: headers.get('x-powered-by'),
  });
  const expected = {
    nosniff: 'nosniff',
    frame: 'DENY',
    referrer: 'no-referrer',
    hsts: 'max-age=15552000; includeSubDomains',
    poweredBy: null,
  };

  it('sends the security headers on forwarded answers, the portal’s own, and problems', async () => {
    for (const [target, token] of [
      ['/api/calls', managerToken],
      ['/api/calls?$where=1', managerToken],
      ['/api/calls', undefined],
      ['/api/auth/demo-users', undefined],
      ['/api/openapi.json', undefined],
      ['/api/no-such-thing', managerToken],
    ] as const) {
      const answer = await raw('GET', target, { token });
      expect({ target, headers: securityHeadersOf(answer.headers) }).toEqual({ target, headers: expected });
      expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('keeps the web application’s own Content-Security-Policy', async () => {
    const page = await fetch(`${platform.portal}/`);
    if (page.status === 503) return expect((await page.json()) as Problem).toMatchObject({ status: 503 });
    expect(page.status).toBe(200);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  it('allows no origin by default: no allow header, never *', async () => {
    const preflight = await raw('OPTIONS', '/api/calls', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
    const read = await raw('GET', '/api/calls', {
      token: managerToken,
      headers: { origin: 'https://evil.example' },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows the configured origin, limits sign-ins, and logs neither tokens nor passwords', async () => {
    const origin = 'https://regions.example.eu';
    await platform.kill('portal');
    await platform.start('portal', {
      CORS_ALLOWED_ORIGINS: origin,
      SIGN_IN_RATE_LIMIT_PER_MINUTE: '6',
      FAILED_SIGN_INS_PER_ACCOUNT_PER_MINUTE: '2',
      LOG_LEVEL: 'info',
    });
    await platform.kill('applications');
    await platform.start('applications', { WRITE_RATE_LIMIT_PER_MINUTE: '2', LOG_LEVEL: 'info' });

    const preflight = await raw('OPTIONS', '/api/applications', {
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    const read = await raw('GET', '/api/calls', { token: managerToken, headers: { origin } });
    expect(read.headers.get('access-control-allow-origin')).toBe(origin);
    const stranger = await raw('OPTIONS', '/api/applications', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();

    // Sign-ins: two failures for one account use up its allowance, from every address; the address
    // itself has six attempts a minute, whatever accounts they name.
    const password = `Wr0ng-${randomUUID()}`;
    const signInAs = (username: string, secret = 'demo') =>
      raw('POST', '/api/auth/token', {
        body: JSON.stringify({ username, password: secret }),
        headers: { ...json, 'x-request-id': `hostile-sign-in-${username}` },
      });
    expect((await signInAs('auditor', password)).status).toBe(401);
    expect((await signInAs('auditor', password)).status).toBe(401);
    const locked = await signInAs('auditor');
    expect(locked.status).toBe(429);
    expect(locked.type).toContain('application/problem+json');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await signInAs('approver1')).status).toBe(200);
    const polish = await signInAs('region-pl91');
    expect(polish.status).toBe(200);
    const polishToken = (polish.body as unknown as { access_token: string }).access_token;
    expect((await signInAs('reviewer1')).status).toBe(200);
    const flooded = await signInAs('reviewer2');
    expect(flooded.status).toBe(429);
    expect(Number(flooded.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // Writes: two accepted per principal a minute here; a third is refused, another principal is not.
    const write = (token: string, id: string) =>
      raw('POST', '/api/applications', {
        body: JSON.stringify(applicationDraft(openCallId)),
        headers: { ...json, 'x-request-id': id },
        token,
      });
    expect((await write(bulgarianToken, 'hostile-write-1')).status).toBe(201);
    expect((await write(bulgarianToken, 'hostile-write-2')).status).toBe(201);
    const throttled = await write(bulgarianToken, 'hostile-write-3');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await write(polishToken, 'hostile-write-4')).status).toBe(201);
    expect((await raw('GET', '/api/applications', { token: bulgarianToken })).status).toBe(200);

    // The logs saw these requests (their ids are there) and none of the secrets.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const logOf = (name: string) => readFileSync(path.join(platform.logDir, `${name}.log`), 'utf8');
    const portalLog = logOf('portal');
    const applicationsLog = logOf('applications');
    expect(portalLog).toContain('hostile-sign-in-auditor');
    expect(applicationsLog).toContain('hostile-write-3');
    for (const log of [portalLog, applicationsLog]) {
      expect(log).not.toContain(password);
      for (const token of [bulgarianToken, polishToken, managerToken]) {
        expect(log).not.toContain(token.split('.')[2]!);
      }
    }
  });
});
