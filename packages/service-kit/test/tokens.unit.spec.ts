import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { Request, Response } from 'express';
import type { JWK, JWTPayload, KeyLike } from 'jose';
import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { TokenVerification } from '../src/auth';
import { authenticate, remoteKeys, verifyToken } from '../src/auth';
import { HttpProblem } from '../src/problem';

const issuer = 'https://issuer.test';
const audience = 's3p';
const now = () => Math.floor(Date.now() / 1000);

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicKey: KeyLike;
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, publicKey };
}

/** An OIDC provider's JWKS endpoint on loopback: the test decides which public keys it publishes. */
class JwksServer {
  published: SigningKey[] = [];
  fetches = 0;
  private readonly server: Server = createServer((req, res) => {
    this.fetches += 1;
    void Promise.all(
      this.published.map(async (key) => ({
        ...(await exportJWK(key.publicKey)),
        kid: key.kid,
        alg: 'RS256',
        use: 'sig',
      })),
    ).then((keys: JWK[]) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys }));
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The claims of a valid manager token, minus those a case leaves out. */
const managerClaims = (): JWTPayload => ({
  sub: 'manager',
  roles: ['programme-manager'],
  iss: issuer,
  aud: audience,
  iat: now(),
  exp: now() + 600,
});

/** A token signed by `key` with exactly these claims (none added) and this header. */
function mint(key: SigningKey, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT', ...header })
    .sign(key.privateKey);
}

const without = (claims: JWTPayload, ...names: string[]): JWTPayload =>
  Object.fromEntries(Object.entries(claims).filter(([name]) => !names.includes(name)));

/** The status the verification answers: the principal's roles when accepted, else the problem's status. */
async function outcomeOf(token: string, verification: TokenVerification): Promise<number | string[]> {
  try {
    return (await verifyToken(token, verification)).roles;
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    return error.status;
  }
}

let jwks: JwksServer;
let jwksUrl: string;
let current: SigningKey;
let verification: TokenVerification;

beforeAll(async () => {
  jwks = new JwksServer();
  jwksUrl = await jwks.start();
});

afterAll(() => jwks.stop());

beforeEach(async () => {
  current = await newKey('key-1');
  jwks.published = [current];
  // A new key set per test: nothing cached from another case.
  verification = { keys: remoteKeys(jwksUrl), issuer, audience };
});

afterEach(() => jest.restoreAllMocks());

describe('a bearer token', () => {
  it('is accepted when signed by a published key with every claim in order (the control case)', async () => {
    const principal = await verifyToken(
      await mint(current, { ...managerClaims(), country: 'BE' }),
      verification,
    );
    expect(principal).toEqual({ sub: 'manager', roles: ['programme-manager'], country: 'BE' });
    const region = await verifyToken(
      await mint(current, { ...managerClaims(), sub: 'region-bg41', roles: ['region'], region: 'BG41' }),
      verification,
    );
    expect(region).toMatchObject({ roles: ['region'], region: 'BG41' });
  });

  it('is accepted a little after it expired, within the 30 s allowed for clock skew', async () => {
    const claims = { ...managerClaims(), iat: now() - 600, exp: now() - 10 };
    expect(await outcomeOf(await mint(current, claims), verification)).toEqual(['programme-manager']);
  });

  it('is accepted when the issuer clock runs a little ahead, within the same tolerance', async () => {
    const claims = { ...managerClaims(), iat: now() + 10, nbf: now() + 10 };
    expect(await outcomeOf(await mint(current, claims), verification)).toEqual(['programme-manager']);
  });

  it.each<[string, (claims: JWTPayload) => JWTPayload]>([
    ['expired beyond the tolerance', (c) => ({ ...c, iat: now() - 3600, exp: now() - 60 })],
    ['not valid before a time beyond the tolerance (nbf)', (c) => ({ ...c, nbf: now() + 120 })],
    [
      'issued in the future beyond the tolerance (iat)',
      (c) => ({ ...c, iat: now() + 3600, exp: now() + 7200 }),
    ],
    ['from another issuer', (c) => ({ ...c, iss: 'https://evil.test' })],
    ['for another audience', (c) => ({ ...c, aud: 'another-api' })],
    ['without sub', (c) => without(c, 'sub')],
    ['with an empty sub', (c) => ({ ...c, sub: '' })],
    ['without exp', (c) => without(c, 'exp')],
    ['without iat', (c) => without(c, 'iat')],
    ['without roles', (c) => without(c, 'roles')],
    ['with no role at all', (c) => ({ ...c, roles: [] })],
    ['with a role this platform does not know', (c) => ({ ...c, roles: ['admin'] })],
    ['with roles as a string instead of a list', (c) => ({ ...c, roles: 'programme-manager' })],
    ['of a region that names no region', (c) => ({ ...c, sub: 'region-bg41', roles: ['region'] })],
    ['of a region with a malformed region', (c) => ({ ...c, roles: ['region'], region: 'bg41' })],
    ['of a service that names a region', (c) => ({ ...c, roles: ['service'], region: 'BG41' })],
  ])('is refused with 401 when %s', async (_case, change) => {
    expect(await outcomeOf(await mint(current, change(managerClaims())), verification)).toBe(401);
  });

  it('is refused with 401 when unsigned (alg: none)', async () => {
    const part = (value: object) => base64url.encode(JSON.stringify(value));
    const unsigned = `${part({ alg: 'none', typ: 'JWT', kid: current.kid })}.${part(managerClaims())}.`;
    expect(await outcomeOf(unsigned, verification)).toBe(401);
    // The same token through the middleware: the bearer syntax admits it, the verification does not.
    expect(await statusThroughMiddleware(`Bearer ${unsigned}`)).toBe(401);
  });

  it('is refused with 401 when HMAC-signed with the public RSA key as the secret (algorithm swap)', async () => {
    const secret = new TextEncoder().encode(await exportSPKI(current.publicKey));
    const swapped = await new SignJWT(managerClaims())
      .setProtectedHeader({ alg: 'HS256', kid: current.kid, typ: 'JWT' })
      .sign(secret);
    expect(await outcomeOf(swapped, verification)).toBe(401);
    // Nor with the JWK's own bytes, the other form an attacker finds in the published key set.
    const jwkSecret = new TextEncoder().encode(JSON.stringify(await exportJWK(current.publicKey)));
    const swappedJwk = await new SignJWT(managerClaims())
      .setProtectedHeader({ alg: 'HS256', kid: current.kid, typ: 'JWT' })
      .sign(jwkSecret);
    expect(await outcomeOf(swappedJwk, verification)).toBe(401);
  });

  it('is refused with 401 when its kid is not in the key set', async () => {
    const stranger = await newKey('key-unknown');
    expect(await outcomeOf(await mint(stranger, managerClaims()), verification)).toBe(401);
  });

  it('is refused with 401 when it names a published kid but another key signed it', async () => {
    const forger = await newKey(current.kid);
    expect(await outcomeOf(await mint(forger, managerClaims()), verification)).toBe(401);
  });

  it('is refused with 401 when it is not a JWT at all', async () => {
    expect(await outcomeOf('not.a.token', verification)).toBe(401);
    const [header, payload] = (await mint(current, managerClaims())).split('.');
    expect(await outcomeOf(`${header}.${payload}.AAAA`, verification)).toBe(401);
  });
});

describe('key rotation through the JWKS', () => {
  /** Moves jose's cache clock (Date.now) on; the tokens' claims keep real time. */
  function clockAhead(ms: number): void {
    const real = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => real() + ms);
  }

  it('takes a new key without a restart and refuses the old one once the provider drops it', async () => {
    const before = await mint(current, managerClaims());
    expect(await outcomeOf(before, verification)).toEqual(['programme-manager']);

    const next = await newKey('key-2');
    jwks.published = [next];
    // Past the cool-down between two fetches, an unknown kid makes the key set fetch again.
    clockAhead(31_000);
    const fetched = jwks.fetches;
    expect(await outcomeOf(await mint(next, managerClaims()), verification)).toEqual(['programme-manager']);
    expect(jwks.fetches).toBe(fetched + 1);
    // The same verification, not restarted: the old key is gone from it.
    expect(await outcomeOf(await mint(current, managerClaims()), verification)).toBe(401);
  });

  it('keeps both keys while the provider publishes both, as during a rollover', async () => {
    const next = await newKey('key-2');
    expect(await outcomeOf(await mint(current, managerClaims()), verification)).toEqual([
      'programme-manager',
    ]);
    jwks.published = [current, next];
    clockAhead(31_000);
    expect(await outcomeOf(await mint(next, managerClaims()), verification)).toEqual(['programme-manager']);
    expect(await outcomeOf(await mint(current, managerClaims()), verification)).toEqual([
      'programme-manager',
    ]);
  });

  it('refuses a dropped key once the cached set is stale, even when no new kid came by', async () => {
    expect(await outcomeOf(await mint(current, managerClaims()), verification)).toEqual([
      'programme-manager',
    ]);
    jwks.published = [await newKey('key-2')];
    // Within the cache's lifetime the dropped key is still trusted; past it, the set is fetched again.
    clockAhead(10 * 60_000 + 1_000);
    expect(await outcomeOf(await mint(current, managerClaims()), verification)).toBe(401);
  });
});

/** What `authenticate` passes on for this Authorization header: 200 for a principal, else the problem's status. */
async function statusThroughMiddleware(header: string | undefined): Promise<number> {
  const req = { get: (name: string) => (name.toLowerCase() === 'authorization' ? header : undefined) };
  const passed = await new Promise<unknown>((resolve) => {
    void authenticate(verification)(req as unknown as Request, {} as Response, resolve);
  });
  if (passed === undefined) return (req as { principal?: unknown }).principal ? 200 : 500;
  if (passed instanceof HttpProblem) {
    expect(passed.headers?.['WWW-Authenticate']).toBe('Bearer');
    return passed.status;
  }
  throw passed;
}

describe('the authenticate middleware', () => {
  it('passes a valid bearer token on as the principal', async () => {
    expect(await statusThroughMiddleware(`Bearer ${await mint(current, managerClaims())}`)).toBe(200);
  });

  it.each<[string, string | undefined]>([
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['Basic credentials', 'Basic bWFuYWdlcjpkZW1v'],
    ['a bearer without its token', 'Bearer '],
    ['a token with characters no JWT has', 'Bearer abc$def.ghi'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
  ])('answers 401 with WWW-Authenticate for %s', async (_case, header) => {
    expect(await statusThroughMiddleware(header)).toBe(401);
  });
});
