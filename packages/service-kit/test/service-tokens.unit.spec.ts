import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ServiceTokenError, ServiceTokens, verifyToken } from '../src';

const clientId = 'lifecycle';
const clientSecret = 'a-secret-of-at-least-16-characters';

interface Received {
  contentType: string | undefined;
  form: Record<string, string>;
}

type Answer = { status: number; body: unknown; delayMs?: number };

/** A token endpoint and an API on one real port: what each answers is up to the test. */
class FakeAuthorizationServer {
  readonly tokenRequests: Received[] = [];
  /** The bearer tokens the API saw, in order. */
  readonly apiCalls: string[] = [];
  /** The next answers of the token endpoint; when none is queued, a new token for 300 s. */
  readonly tokenAnswers: Answer[] = [];
  /** Tokens the API refuses with 401. */
  readonly revoked = new Set<string>();
  private issued = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const reply = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
    };
    if (req.url === '/token' && req.method === 'POST') {
      this.tokenRequests.push({
        contentType: req.headers['content-type'],
        form: Object.fromEntries(new URLSearchParams(text)),
      });
      const answer = this.tokenAnswers.shift() ?? {
        status: 200,
        body: { access_token: `token-${++this.issued}`, token_type: 'Bearer', expires_in: 300 },
      };
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      reply(
        answer.status,
        answer.body,
        answer.status >= 400 ? 'application/problem+json' : 'application/json',
      );
      return;
    }
    if (req.url === '/api/things') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      this.apiCalls.push(token);
      if (!token || this.revoked.has(token)) {
        reply(401, { status: 401, title: 'Unauthorized' }, 'application/problem+json');
        return;
      }
      reply(200, { method: req.method, body: text, token });
      return;
    }
    reply(404, {});
  }
}

let server: FakeAuthorizationServer;

beforeEach(async () => {
  server = new FakeAuthorizationServer();
  await server.start();
});
afterEach(() => server.close());

const tokensWith = (extra: Partial<ConstructorParameters<typeof ServiceTokens>[0]> = {}) =>
  new ServiceTokens({ tokenUrl: `${server.url}/token`, clientId, clientSecret, ...extra });

describe('ServiceTokens.token()', () => {
  it('asks with the client-credentials grant, form-encoded (RFC 6749 §4.4)', async () => {
    expect(await tokensWith().token()).toBe('token-1');
    expect(server.tokenRequests).toEqual([
      {
        contentType: 'application/x-www-form-urlencoded',
        form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
      },
    ]);
  });

  it('keeps the token until shortly before it expires', async () => {
    let now = 1_000_000;
    const tokens = tokensWith({ now: () => now, refreshBeforeSeconds: 60 });
    expect(await tokens.token()).toBe('token-1');
    now += 239_000;
    expect(await tokens.token()).toBe('token-1');
    expect(server.tokenRequests).toHaveLength(1);
    // 300 s lifetime, renewed 60 s before the end.
    now += 2_000;
    expect(await tokens.token()).toBe('token-2');
    expect(await tokens.token()).toBe('token-2');
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('renews at half the lifetime when the margin is longer than that', async () => {
    let now = 0;
    server.tokenAnswers.push({
      status: 200,
      body: { access_token: 'short', token_type: 'bearer', expires_in: 30 },
    });
    const tokens = tokensWith({ now: () => now, refreshBeforeSeconds: 60 });
    expect(await tokens.token()).toBe('short');
    now = 14_000;
    expect(await tokens.token()).toBe('short');
    now = 16_000;
    expect(await tokens.token()).toBe('token-1');
  });

  it('without expires_in, keeps the token until the JWT says it expires', async () => {
    let now = Date.now();
    const { privateKey } = await generateKeyPair('ES256');
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setExpirationTime(Math.floor(now / 1000) + 600)
      .sign(privateKey);
    server.tokenAnswers.push({ status: 200, body: { access_token: jwt, token_type: 'Bearer' } });
    const tokens = tokensWith({ now: () => now });
    expect(await tokens.token()).toBe(jwt);
    now += 500_000;
    expect(await tokens.token()).toBe(jwt);
    now += 60_000;
    expect(await tokens.token()).toBe('token-1');
  });

  it('makes one request for concurrent callers', async () => {
    server.tokenAnswers.push({
      status: 200,
      body: { access_token: 'shared', token_type: 'Bearer', expires_in: 300 },
      delayMs: 200,
    });
    const tokens = tokensWith();
    const answers = await Promise.all(Array.from({ length: 20 }, () => tokens.token()));
    expect(new Set(answers)).toEqual(new Set(['shared']));
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('throws a clear error on a 401 from the token endpoint, without the secret, and tries again next time', async () => {
    server.tokenAnswers.push({
      status: 401,
      body: {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: `unknown client or wrong client secret (you sent ${clientSecret})`,
        error: 'invalid_client',
      },
    });
    const tokens = tokensWith();
    const error = (await tokens.token().catch((e: unknown) => e)) as ServiceTokenError;
    expect(error).toBeInstanceOf(ServiceTokenError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_client' });
    expect(error.message).toContain('401 invalid_client');
    expect(error.message).toContain('unknown client or wrong client secret');
    expect(error.message).toContain(`${server.url}/token`);
    expect(error.message).not.toContain(clientSecret);
    // A failure is not cached.
    expect(await tokens.token()).toBe('token-1');
  });

  it('rejects every concurrent caller when the shared request fails', async () => {
    server.tokenAnswers.push({ status: 503, body: { title: 'Service Unavailable' }, delayMs: 100 });
    const tokens = tokensWith();
    const results = await Promise.allSettled([tokens.token(), tokens.token(), tokens.token()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/503 \(Service Unavailable\)/);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('refuses an answer without a bearer access_token', async () => {
    server.tokenAnswers.push({ status: 200, body: { token_type: 'Bearer', expires_in: 300 } });
    server.tokenAnswers.push({ status: 200, body: { access_token: 'x', token_type: 'mac' } });
    const tokens = tokensWith();
    await expect(tokens.token()).rejects.toThrow(/without a bearer access_token/);
    await expect(tokens.token()).rejects.toThrow(/without a bearer access_token/);
  });

  it('names an endpoint it cannot reach', async () => {
    await server.close();
    await expect(tokensWith().token()).rejects.toThrow(/could not reach the token endpoint http:\/\/127/);
  });

  it('keeps using a still valid token while a renewal fails, and fails once it has expired', async () => {
    let now = 0;
    const tokens = tokensWith({ now: () => now, refreshBeforeSeconds: 60 });
    expect(await tokens.token()).toBe('token-1');
    server.tokenAnswers.push({ status: 500, body: {} }, { status: 500, body: {} });
    now = 250_000;
    expect(await tokens.token()).toBe('token-1');
    now = 301_000;
    await expect(tokens.token()).rejects.toMatchObject({ status: 500 });
    expect(server.tokenRequests).toHaveLength(3);
  });

  it('needs its settings', () => {
    expect(() => new ServiceTokens({ tokenUrl: `${server.url}/token`, clientId, clientSecret: '' })).toThrow(
      /client secret/,
    );
  });
});

describe('ServiceTokens.authorizedFetch()', () => {
  it('sends the bearer token with the request, keeping its own headers and body', async () => {
    const tokens = tokensWith();
    const answer = await tokens.authorizedFetch(`${server.url}/api/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer overridden' },
      body: JSON.stringify({ amount: 1 }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ method: 'POST', body: '{"amount":1}', token: 'token-1' });
  });

  it('on a 401 renews the token once and retries with the same body', async () => {
    const tokens = tokensWith();
    expect(await tokens.token()).toBe('token-1');
    server.revoked.add('token-1');
    const answer = await tokens.authorizedFetch(`${server.url}/api/things`, {
      method: 'POST',
      body: 'again',
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ method: 'POST', body: 'again', token: 'token-2' });
    expect(server.apiCalls).toEqual(['token-1', 'token-2']);
    expect(server.tokenRequests).toHaveLength(2);
    expect(await tokens.token()).toBe('token-2');
  });

  it('retries only once: a second 401 is the answer', async () => {
    const tokens = tokensWith();
    server.revoked.add('token-1').add('token-2');
    const answer = await tokens.authorizedFetch(`${server.url}/api/things`);
    expect(answer.status).toBe(401);
    expect(server.apiCalls).toEqual(['token-1', 'token-2']);
  });

  it('renews once when many requests are refused with the same token', async () => {
    const tokens = tokensWith();
    expect(await tokens.token()).toBe('token-1');
    server.revoked.add('token-1');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => tokens.authorizedFetch(`${server.url}/api/things`)),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(server.tokenRequests).toHaveLength(2);
    expect(new Set(server.apiCalls)).toEqual(new Set(['token-1', 'token-2']));
  });

  it('throws the token error when no token can be had', async () => {
    server.tokenAnswers.push({ status: 401, body: { error: 'invalid_client' } });
    await expect(tokensWith().authorizedFetch(`${server.url}/api/things`)).rejects.toBeInstanceOf(
      ServiceTokenError,
    );
    expect(server.apiCalls).toEqual([]);
  });
});

describe('the service role', () => {
  it('is a role a token may carry, and never with a region', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' };
    const verification = { keys: createLocalJWKSet({ keys: [jwk] }), issuer: 'iss', audience: 'aud' };
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k' })
        .setSubject('lifecycle')
        .setIssuer('iss')
        .setAudience('aud')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    expect(await verifyToken(await sign({ roles: ['service'] }), verification)).toEqual({
      sub: 'lifecycle',
      roles: ['service'],
    });
    await expect(
      verifyToken(await sign({ roles: ['service'], region: 'BG41' }), verification),
    ).rejects.toMatchObject({ status: 401, detail: 'a service token names no region' });
  });
});
