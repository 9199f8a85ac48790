import { spawn } from 'node:child_process';
import path from 'node:path';
import { remoteKeys, verifyToken } from '@s3p/service-kit';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { PortalService } from '../src/service';
import { startPortalService } from '../src/service';
import { configOf, keyDir, signIn, silent, startPortal } from './support';

let portal: PortalService;

beforeAll(async () => {
  portal = await startPortal({ TOKEN_TTL_SECONDS: '900', AUTH_ISSUER: 'http://portal.test' });
});
afterAll(() => portal.stop());

const verification = () => ({
  keys: remoteKeys(`${portal.url}/.well-known/jwks.json`),
  issuer: 'http://portal.test',
  audience: 's3p-api',
});

async function tokenFor(username: string): Promise<string> {
  const answer = await signIn(portal.url, username);
  expect(answer.status).toBe(200);
  const body = (await answer.json()) as { access_token: string; token_type: string; expires_in: number };
  expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900 });
  expect(answer.headers.get('cache-control')).toBe('no-store');
  return body.access_token;
}

describe('POST /api/auth/token', () => {
  it('issues ES256 tokens with a kid that service-kit verifies against the served JWKS', async () => {
    const keys = verification();
    const cases = [
      ['manager', { sub: 'manager', roles: ['programme-manager'] }],
      ['reviewer2', { sub: 'reviewer2', roles: ['reviewer'], country: 'AT' }],
      ['approver1', { sub: 'approver1', roles: ['approver'] }],
      ['auditor', { sub: 'auditor', roles: ['auditor'] }],
      ['expert03', { sub: 'expert03', roles: ['expert'], country: 'NL' }],
      ['region-bg41', { sub: 'region-bg41', roles: ['region'], region: 'BG41', country: 'BG' }],
      ['region-itc4', { sub: 'region-itc4', roles: ['region'], region: 'ITC4', country: 'IT' }],
      ['region-el30', { sub: 'region-el30', roles: ['region'], region: 'EL30', country: 'GR' }],
    ] as const;
    const jwks = (await (await fetch(`${portal.url}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    for (const [username, principal] of cases) {
      const token = await tokenFor(username);
      expect(await verifyToken(token, keys)).toEqual(principal);
      const header = decodeProtectedHeader(token);
      expect(header).toMatchObject({ alg: 'ES256', kid: jwks.keys[0]!.kid });
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({ iss: 'http://portal.test', aud: 's3p-api' });
      expect(claims.exp! - claims.iat!).toBe(900);
      expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(30);
    }
  });

  it('answers an unknown user and a wrong password with the same 401', async () => {
    const wrongPassword = await signIn(portal.url, 'reviewer3', 'not-demo');
    const unknownUser = await signIn(portal.url, 'nobody-at-all', 'demo');
    expect([wrongPassword.status, unknownUser.status]).toEqual([401, 401]);
    expect(wrongPassword.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const bodies = [await wrongPassword.json(), await unknownUser.json()];
    expect(bodies[0]).toEqual(bodies[1]);
    expect(bodies[0]).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('refuses a malformed body, unknown fields and a missing body', async () => {
    const post = (body: string | undefined, type?: string) =>
      fetch(`${portal.url}/api/auth/token`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        ...(body === undefined ? {} : { body }),
      });
    const unknownField = await post(
      JSON.stringify({ username: 'manager', password: 'demo', scope: 'admin' }),
      'application/json',
    );
    expect(unknownField.status).toBe(400);
    expect(((await unknownField.json()) as { errors: { path: string }[] }).errors).toEqual([
      expect.objectContaining({ path: 'body.scope' }),
    ]);
    const missingPassword = await post(JSON.stringify({ username: 'manager' }), 'application/json');
    expect(missingPassword.status).toBe(400);
    expect(((await missingPassword.json()) as { errors: { path: string }[] }).errors).toEqual([
      expect.objectContaining({ path: 'body.password' }),
    ]);
    expect((await post(JSON.stringify({ username: 7, password: 'demo' }), 'application/json')).status).toBe(
      400,
    );
    expect((await post('{"username": "manager",', 'application/json')).status).toBe(400);
    expect((await post('', 'application/json')).status).toBe(400);
    expect((await post(undefined)).status).toBe(415);
    expect((await post('username=manager&password=demo', 'text/plain')).status).toBe(415);
    // Form bodies are for OAuth 2.0 grants (client-credentials.int.spec.ts); the demo users sign in with JSON.
    const form = await post('username=manager&password=demo', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('sign-in limit', () => {
  // A portal of its own, so that the failures here hold back no other test's sign-ins.
  let limited: PortalService;
  beforeAll(async () => {
    limited = await startPortal();
  });
  afterAll(() => limited.stop());

  it('limits failed sign-ins per username and address, the right password included, with Retry-After', async () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await signIn(limited.url, 'approver2', `guess-${attempt}`)).status).toBe(401);
    }
    const refused = await signIn(limited.url, 'approver2', 'demo');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The same username in another case is the same account for the limit.
    expect((await signIn(limited.url, 'APPROVER2', 'demo')).status).toBe(429);
    // Another user from the same address is not held back.
    expect((await signIn(limited.url, 'approver1')).status).toBe(200);
  });
});

describe('demo users', () => {
  it('lists every demo user with claims and no secret', async () => {
    const answer = await fetch(`${portal.url}/api/auth/demo-users`);
    expect(answer.status).toBe(200);
    const users = (await answer.json()) as Record<string, unknown>[];
    const names = users.map((u) => u.username);
    expect(names).toEqual(
      expect.arrayContaining([
        'manager',
        'reviewer1',
        'reviewer2',
        'reviewer3',
        'approver1',
        'approver2',
        'auditor',
        'expert01',
        'expert04',
        'region-bg41',
        'region-es11',
      ]),
    );
    for (const user of users) {
      expect(Object.keys(user).every((key) => ['username', 'roles', 'region', 'country'].includes(key))).toBe(
        true,
      );
    }
    const regions = users.filter((u) => (u.roles as string[]).includes('region'));
    expect(new Set(regions.map((u) => u.country)).size).toBeGreaterThanOrEqual(6);
    for (const region of regions) {
      expect(region.username).toBe(`region-${(region.region as string).toLowerCase()}`);
    }
    expect(users.filter((u) => (u.roles as string[]).includes('expert')).every((u) => u.country)).toBe(true);
  });

  it('every listed user can sign in with the password demo', async () => {
    const users = (await (await fetch(`${portal.url}/api/auth/demo-users`)).json()) as { username: string }[];
    const answers = await Promise.all(users.map((u) => signIn(portal.url, u.username)));
    expect(answers.map((a) => a.status)).toEqual(users.map(() => 200));
  });

  it('refuses to start with demo users when NODE_ENV=production', async () => {
    await expect(startPortalService(configOf({ NODE_ENV: 'production' }), silent)).rejects.toThrow(
      /demo users.*NODE_ENV=production/,
    );
  });

  it('exits non-zero naming the reason when started as a program with NODE_ENV=production', async () => {
    const child = spawn(
      process.execPath,
      [require.resolve('tsx/cli'), path.join(__dirname, '../src/index.ts')],
      {
        env: { ...process.env, NODE_ENV: 'production', PORT: '0', PORTAL_KEY_DIR: keyDir() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/demo users.*NODE_ENV=production/);
    expect(output).not.toMatch(/Portal: http/);
  });
});

describe('AUTH_MODE=oidc', () => {
  let oidc: PortalService;
  beforeAll(async () => {
    oidc = await startPortal({ AUTH_MODE: 'oidc', NODE_ENV: 'production' });
  });
  afterAll(() => oidc.stop());

  it('issues no tokens, lists no demo users, serves no keys, and starts in production', async () => {
    expect((await signIn(oidc.url, 'manager')).status).toBe(404);
    expect((await fetch(`${oidc.url}/api/auth/demo-users`)).status).toBe(404);
    expect((await fetch(`${oidc.url}/.well-known/jwks.json`)).status).toBe(404);
    const ready = await fetch(`${oidc.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: object }).checks).toEqual({});
  });
});
