import { createHash } from 'node:crypto';
import type { Actor, AnyEnvelope } from '@s3p/contracts';

/** The previous hash of the first entry: there is none. */
export const genesisHash = '0'.repeat(64);

/** One entry of the audit trail: what the API answers and the export writes, one per line. */
export interface AuditEntry {
  /** Its place in the chain: 1, 2, … without gaps. */
  sequence: number;
  eventId: string;
  type: string;
  version: number;
  source: string;
  subject: string;
  actor: Actor;
  /** The event's `occurredAt`, in UTC, so that times compare as text. */
  occurredAt: string;
  /** When the trail took the event in. */
  recordedAt: string;
  /** The topic the event was read from, or its `source` where the consumer cannot tell (audit-handler). */
  topic: string;
  /** The whole envelope, as it came. */
  event: AnyEnvelope;
  /** The hash of entry `sequence - 1`; `genesisHash` for the first. */
  previousHash: string;
  hash: string;
}

/** What an entry's hash covers besides the previous hash: every field but the two hashes. */
export type AuditFields = Omit<AuditEntry, 'previousHash' | 'hash'>;

/**
 * JSON with every object's keys sorted (by UTF-16 code units, as `Array.prototype.sort` does),
 * recursively, arrays in order and no whitespace: one text per value however its keys were
 * written or stored, so that anyone can recompute a hash. Keys whose value is undefined are left
 * out and array holes are null, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      const members = Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`a ${typeof value} has no JSON form`);
  }
}

/**
 * SHA-256, hex, of the canonical JSON of the entry without its `hash`: its fields and the
 * previous entry's hash, so that changing, removing or moving any entry breaks every link after it.
 * `fields` is typed by the two fields that locate an entry, but every field given is hashed as it
 * is (the writer gives `AuditFields`; the verifier whatever it read), so a field added to a stored
 * entry changes its hash too.
 */
export const entryHash = (previousHash: string, fields: Pick<AuditFields, 'sequence' | 'eventId'>): string =>
  createHash('sha256')
    .update(canonicalJson({ ...fields, previousHash }), 'utf8')
    .digest('hex');
