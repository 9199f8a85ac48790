import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK, KeyLike } from 'jose';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import type { Logger } from 'pino';
import { z } from 'zod';

export const signingAlgorithm = 'ES256';

/** The portal's key: the private half signs tokens, the public half is served in the JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  /** The public JWK with `kid`, `alg` and `use`, as the JWKS serves it. */
  publicJwk: JWK;
}

const storedKey = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1),
});

const keyFile = (dir: string) => path.join(dir, 'signing-key.jwk.json');

/**
 * Loads the key from `dir`, or generates and stores it on the first start (file mode 0600), so
 * tokens stay valid across restarts. Two portals starting at once on an empty directory agree on
 * one key: the file appears with an exclusive link, and the loser reads the winner's.
 */
export async function loadOrCreateSigningKey(dir: string, logger: Logger): Promise<SigningKey> {
  const file = keyFile(dir);
  const existing = await read(file, logger);
  if (existing) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair(signingAlgorithm, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const stored = { ...jwk, kid: await calculateJwkThumbprint(jwk) };
  const draft = `${file}.${randomUUID()}.tmp`;
  await writeFile(draft, JSON.stringify(stored), { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, file);
    logger.info({ file, kid: stored.kid }, 'generated the token signing key');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(draft);
  }
  const key = await read(file, logger);
  if (!key) throw new Error(`the signing key ${file} vanished while it was being created`);
  return key;
}

/** A readiness check: the key signs. */
export const canSign = (key: SigningKey) => async (): Promise<void> => {
  await new SignJWT({}).setProtectedHeader({ alg: signingAlgorithm, kid: key.kid }).sign(key.privateKey);
};

async function read(file: string, logger: Logger): Promise<SigningKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = storedKey.safeParse(parseJson(text));
  if (!parsed.success) throw new Error(`${file} is not an ES256 private key in JWK form`);
  if (((await stat(file)).mode & 0o077) !== 0) {
    logger.warn({ file }, 'the signing key was readable by others; its mode is now 0600');
    await chmod(file, 0o600);
  }
  const { kid, ...jwk } = parsed.data;
  const { d: _private, ...publicPart } = jwk;
  return {
    kid,
    privateKey: (await importJWK(jwk, signingAlgorithm)) as KeyLike,
    publicJwk: { ...publicPart, kid, alg: signingAlgorithm, use: 'sig' },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
