import { remoteKeys, ServiceTokens, verifyToken } from '@s3p/service-kit';
import { decodeJwt } from 'jose';
import { portalConfig } from '../src/config';
import type { PortalService } from '../src/service';
import { startPortalService } from '../src/service';
import { configOf, signIn, silent, startPortal } from './support';

const lifecycleSecret = 'lifecycle-secret-0123456789';
/** Characters that HTTP Basic must form-encode (RFC 6749 §2.3.1). */
const reportingSecret = 'rep:or+ting s3cret/é%';

let portal: PortalService;

beforeAll(async () => {
  portal = await startPortal({
    TOKEN_TTL_SECONDS: '900',
    AUTH_ISSUER: 'http://portal.test',
    SERVICE_CLIENTS: `lifecycle:${lifecycleSecret},reporting:${reportingSecret}`,
  });
});
afterAll(() => portal.stop());

const tokenUrl = () => `${portal.url}/api/auth/token`;

const verification = () => ({
  keys: remoteKeys(`${portal.url}/.well-known/jwks.json`),
  issuer: 'http://portal.test',
  audience: 's3p-api',
});

const form = (fields: Record<string, string> | string, headers: Record<string, string> = {}) =>
  fetch(tokenUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
  });

const json = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(tokenUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

const grant = { grant_type: 'client_credentials' };

interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number;
}

async function expectServiceToken(answer: Response, clientId: string): Promise<void> {
  expect(answer.status).toBe(200);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  const body = (await answer.json()) as TokenAnswer;
  expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900 });
  expect(await verifyToken(body.access_token, verification())).toEqual({ sub: clientId, roles: ['service'] });
  const claims = decodeJwt(body.access_token);
  expect(claims).toMatchObject({ iss: 'http://portal.test', aud: 's3p-api', sub: clientId });
  expect(claims.exp! - claims.iat!).toBe(900);
}

async function expectInvalidClient(answer: Response): Promise<Record<string, unknown>> {
  expect(answer.status).toBe(401);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await answer.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    type: 'about:blank',
    title: 'Unauthorized',
    status: 401,
    error: 'invalid_client',
  });
  expect(body.error_description).toBe(body.detail);
  return body;
}

describe('the client-credentials grant (RFC 6749 §4.4)', () => {
  it('issues a service token for a form-encoded request', async () => {
    await expectServiceToken(
      await form({ ...grant, client_id: 'lifecycle', client_secret: lifecycleSecret }),
      'lifecycle',
    );
  });

  it('issues a service token for a JSON request', async () => {
    await expectServiceToken(
      await json({ ...grant, client_id: 'lifecycle', client_secret: lifecycleSecret }),
      'lifecycle',
    );
  });

  it('issues a service token to a client authenticating with HTTP Basic (RFC 6749 §2.3.1)', async () => {
    await expectServiceToken(
      await form(grant, { authorization: basic('reporting', reportingSecret) }),
      'reporting',
    );
    // client_id may repeat the Basic one in the body.
    await expectServiceToken(
      await form(
        { ...grant, client_id: 'reporting' },
        { authorization: basic('reporting', reportingSecret) },
      ),
      'reporting',
    );
  });

  it('is what ServiceTokens from service-kit asks for', async () => {
    const tokens = new ServiceTokens({
      tokenUrl: tokenUrl(),
      clientId: 'lifecycle',
      clientSecret: lifecycleSecret,
    });
    const token = await tokens.token();
    expect(await verifyToken(token, verification())).toEqual({ sub: 'lifecycle', roles: ['service'] });
    const refused = new ServiceTokens({
      tokenUrl: tokenUrl(),
      clientId: 'lifecycle',
      clientSecret: 'x'.repeat(20),
    });
    await expect(refused.token()).rejects.toMatchObject({ status: 401, code: 'invalid_client' });
  });

  it('answers an unknown client and a wrong secret with the same 401 invalid_client', async () => {
    const wrongSecret = await expectInvalidClient(
      await form({ ...grant, client_id: 'lifecycle', client_secret: `${lifecycleSecret}x` }),
    );
    const unknownClient = await expectInvalidClient(
      await json({ ...grant, client_id: 'nobody', client_secret: lifecycleSecret }),
    );
    expect(wrongSecret).toEqual(unknownClient);
    expect(JSON.stringify(wrongSecret)).not.toContain(lifecycleSecret);
    // A demo user is not a client, and a client is not a demo user.
    await expectInvalidClient(
      await form({ ...grant, client_id: 'manager', client_secret: 'demo-demo-demo-demo' }),
    );
    expect((await signIn(portal.url, 'lifecycle', lifecycleSecret)).status).toBe(401);
  });

  it('answers a wrong Basic secret with WWW-Authenticate: Basic, and a body secret without it', async () => {
    const viaBasic = await form(grant, { authorization: basic('reporting', 'not-the-secret-at-all') });
    await expectInvalidClient(viaBasic);
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const viaBody = await form({ ...grant, client_id: 'reporting', client_secret: 'not-the-secret-at-all' });
    await expectInvalidClient(viaBody);
    expect(viaBody.headers.get('www-authenticate')).toBeNull();
    await expectInvalidClient(await form(grant, { authorization: 'Basic !!!' }));
  });

  it('refuses a client that does not authenticate, or does twice', async () => {
    await expectInvalidClient(await form(grant));
    await expectInvalidClient(await form({ ...grant, client_id: 'lifecycle' }));
    const twice = await form(
      { ...grant, client_id: 'lifecycle', client_secret: lifecycleSecret },
      { authorization: basic('lifecycle', lifecycleSecret) },
    );
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({ status: 400, error: 'invalid_request' });
  });

  it('refuses other grant types, a missing grant_type, unknown and repeated fields', async () => {
    for (const answer of [
      await form({ grant_type: 'password', username: 'manager', password: 'demo' }),
      await json({ grant_type: 'authorization_code', code: 'x' }),
    ]) {
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await answer.json()).toMatchObject({ status: 400, error: 'unsupported_grant_type' });
    }
    const missing = await form({ client_id: 'lifecycle', client_secret: lifecycleSecret });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });

    const unknownField = await form({
      ...grant,
      client_id: 'lifecycle',
      client_secret: lifecycleSecret,
      scope: 'x',
    });
    expect(unknownField.status).toBe(400);
    expect(await unknownField.json()).toMatchObject({
      error: 'invalid_request',
      errors: [expect.objectContaining({ path: 'body.scope' })],
    });
    const repeated = await form(
      `grant_type=client_credentials&client_id=lifecycle&client_id=reporting&client_secret=${lifecycleSecret}`,
    );
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toMatchObject({
      error: 'invalid_request',
      errors: [expect.objectContaining({ path: 'body.client_id' })],
    });
    const repeatedGrant = await form(`grant_type=client_credentials&grant_type=client_credentials`);
    expect(repeatedGrant.status).toBe(400);
    expect(await repeatedGrant.json()).toMatchObject({ error: 'invalid_request' });
    const tooManyFields = await form(Array.from({ length: 30 }, (_, i) => `f${i}=1`).join('&'));
    expect(tooManyFields.status).toBe(413);
  });
});

describe('client authentication limit', () => {
  // A portal of its own, so that the failures here hold back no other test's clients.
  let limited: PortalService;
  beforeAll(async () => {
    limited = await startPortal({
      SERVICE_CLIENTS: `lifecycle:${lifecycleSecret},reporting:${reportingSecret}`,
    });
  });
  afterAll(() => limited.stop());

  const attempt = (clientId: string, secret: string) =>
    fetch(`${limited.url}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...grant, client_id: clientId, client_secret: secret }).toString(),
    });

  it('limits failed authentications per client id and address, the right secret included', async () => {
    for (let i = 1; i <= 10; i++) {
      expect((await attempt('lifecycle', `guess-number-${i}-of-ten`)).status).toBe(401);
    }
    const refused = await attempt('lifecycle', lifecycleSecret);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another client, and a user of the same name space, are not held back.
    expect((await attempt('reporting', reportingSecret)).status).toBe(200);
    expect((await signIn(limited.url, 'manager')).status).toBe(200);
  });
});

describe('SERVICE_CLIENTS', () => {
  const problems = (value: string) => {
    const parsed = portalConfig.safeParse({ SERVICE_CLIENTS: value });
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  };

  it('is empty by default, and lists id:secret pairs', () => {
    expect(portalConfig.parse({}).SERVICE_CLIENTS).toEqual([]);
    expect(
      portalConfig.parse({ SERVICE_CLIENTS: ' a:0123456789abcdef , b.x:with:colons-0123456789 ' })
        .SERVICE_CLIENTS,
    ).toEqual([
      { id: 'a', secret: '0123456789abcdef' },
      { id: 'b.x', secret: 'with:colons-0123456789' },
    ]);
  });

  it('refuses short secrets, malformed entries and a client listed twice, without showing a secret', () => {
    const short = problems('lifecycle:tooshortsecret');
    expect(short).toEqual(['the secret of client lifecycle is shorter than 16 characters']);
    expect(problems('just-a-secret-without-an-id')).toEqual([
      expect.stringMatching(/^entry 1 is not id:secret/),
    ]);
    expect(problems('bad id:0123456789abcdef')).toEqual([expect.stringMatching(/^entry 1 is not id:secret/)]);
    expect(problems('a:0123456789abcdef,a:fedcba9876543210')).toEqual(['client a is listed twice']);
    const all = JSON.stringify(portalConfig.safeParse({ SERVICE_CLIENTS: 'x:tooshortsecret,zz' }));
    expect(all).not.toContain('tooshortsecret');
    expect(all).not.toContain('zz');
  });

  it('refuses a client id that is also a demo username', async () => {
    await expect(
      startPortalService(configOf({ SERVICE_CLIENTS: 'manager:0123456789abcdef' }), silent),
    ).rejects.toThrow(/client ids that are also usernames: manager/);
  });
});
