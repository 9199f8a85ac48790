import { chmodSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { remoteKeys, verifyToken } from '@s3p/service-kit';
import { loadOrCreateSigningKey } from '../src/signing-key';
import { keyDir, signIn, silent, startPortal } from './support';

const kidOf = async (portal: string) =>
  ((await (await fetch(`${portal}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map(
    (k) => k.kid,
  );

describe('the signing key', () => {
  it('is created once, mode 0600, and survives a restart: same kid, earlier tokens still verify', async () => {
    const dir = keyDir();
    const first = await startPortal({ PORTAL_KEY_DIR: dir });
    const [kid] = await kidOf(first.url);
    const { access_token: token } = (await (await signIn(first.url, 'region-es11')).json()) as {
      access_token: string;
    };
    await first.stop();

    const file = path.join(dir, 'signing-key.jwk.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o077).toBe(0);

    const second = await startPortal({ PORTAL_KEY_DIR: dir });
    try {
      expect(await kidOf(second.url)).toEqual([kid]);
      const principal = await verifyToken(token, {
        keys: remoteKeys(`${second.url}/.well-known/jwks.json`),
        issuer: 'http://localhost:8080',
        audience: 's3p-api',
      });
      expect(principal).toEqual({ sub: 'region-es11', roles: ['region'], region: 'ES11', country: 'ES' });
    } finally {
      await second.stop();
    }

    // Another directory is another key: the kid names the key, not the portal.
    const other = await startPortal();
    try {
      expect(await kidOf(other.url)).not.toEqual([kid]);
    } finally {
      await other.stop();
    }
  });

  it('serves only the public half', async () => {
    const portal = await startPortal();
    try {
      const answer = await fetch(`${portal.url}/.well-known/jwks.json`);
      expect(answer.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const { keys } = (await answer.json()) as { keys: Record<string, string>[] };
      expect(keys).toHaveLength(1);
      expect(keys[0]).toEqual({
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        kid: expect.any(String),
        alg: 'ES256',
        use: 'sig',
      });
    } finally {
      await portal.stop();
    }
  });

  it('is one key when several portals start at once on an empty directory', async () => {
    const dir = keyDir();
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateSigningKey(dir, silent)));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
  });

  it('is tightened to 0600 when found readable by others, and a damaged file stops the start', async () => {
    const dir = keyDir();
    const { kid } = await loadOrCreateSigningKey(dir, silent);
    const file = path.join(dir, 'signing-key.jwk.json');
    chmodSync(file, 0o644);
    expect((await loadOrCreateSigningKey(dir, silent)).kid).toBe(kid);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    writeFileSync(file, '{"kty":"EC"');
    await expect(loadOrCreateSigningKey(dir, silent)).rejects.toThrow(/not an ES256 private key/);
  });
});
