import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServiceClient } from './config';

/** Secrets are long and random (at least 16 characters), so a fast hash is enough to compare them. */
const digest = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/**
 * The machine clients of the client-credentials grant, holding SHA-256 digests of their secrets,
 * never the secrets. A secret is checked in constant time, against a decoy for an unknown id, so
 * the time of a refusal tells neither which ids exist nor how much of a secret was right.
 */
export class ServiceClients {
  private readonly digests: ReadonlyMap<string, Buffer>;
  private readonly decoy = digest(randomBytes(32).toString('hex'));

  constructor(clients: readonly ServiceClient[]) {
    this.digests = new Map(clients.map(({ id, secret }) => [id, digest(secret)]));
  }

  /** The client id when the secret is this client's; undefined for an unknown client or a wrong secret alike. */
  verify(id: string, secret: string): string | undefined {
    const known = this.digests.get(id);
    const matches = timingSafeEqual(digest(secret), known ?? this.decoy);
    return known && matches ? id : undefined;
  }

  ids(): string[] {
    return [...this.digests.keys()];
  }
}
