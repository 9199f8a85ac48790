import type { AuditEntry } from './canonical';
import { entryHash, genesisHash } from './canonical';

/**
 * An entry as verification reads it: located by its sequence and event id, linked by its hashes;
 * every other field counts through the hash alone.
 */
export type ChainEntry = Pick<AuditEntry, 'sequence' | 'eventId' | 'previousHash' | 'hash'>;

export const chainBreakReasons = [
  /** The entry no longer gives its hash: a field of it was changed, added or removed. */
  'hash-mismatch',
  /** The sequence skips: the entries in between were removed (or moved). */
  'sequence-gap',
  /** The sequence does not go up: entries were moved. */
  'out-of-order',
  /** The entry does not point at the one before it: that one was replaced or rewritten. */
  'previous-hash-mismatch',
  /** The event is in the chain already. */
  'duplicate',
  /** The entry at the known head's place is another one: the chain up to it was rewritten. */
  'not-the-known-head',
  /** The chain ends before the known head: entries at its end were removed. */
  'truncated',
] as const;
export type ChainBreakReason = (typeof chainBreakReasons)[number];

export interface ChainBreak {
  sequence: number;
  /** Null when the entry is missing altogether (`truncated`). */
  eventId: string | null;
  reason: ChainBreakReason;
  detail: string;
}

/** A head noted from an earlier verification: the chain must still pass through it. */
export interface KnownHead {
  entries: number;
  head: string;
}

export interface ChainVerification {
  valid: boolean;
  /** The entries found intact from the first on: all of them when valid. */
  entries: number;
  /**
   * The hash of the last intact entry (`genesisHash` when there is none). A chain proves nothing
   * about its end by itself: note `{ entries, head }` and give it as the known head later.
   */
  head: string;
  firstBroken?: ChainBreak;
}

/**
 * Verifies a chain one entry at a time, in the order stored or exported, and stops at the first
 * break: what follows a break cannot be trusted more, and streaming keeps memory to the event ids
 * seen (for duplicates).
 */
export class ChainVerifier {
  private entries = 0;
  private head = genesisHash;
  private readonly seen = new Set<string>();
  private broken?: ChainBreak;

  constructor(private readonly knownHead?: KnownHead) {}

  /** Takes the next entry; false once the chain is broken, when the rest need not be read. */
  add(entry: ChainEntry): boolean {
    if (this.broken) return false;
    this.broken = this.breakAt(entry);
    if (this.broken) return false;
    this.entries = entry.sequence;
    this.head = entry.hash;
    this.seen.add(entry.eventId);
    return true;
  }

  result(): ChainVerification {
    const broken = this.broken ?? this.truncation();
    return {
      valid: broken === undefined,
      entries: this.entries,
      head: this.head,
      ...(broken ? { firstBroken: broken } : {}),
    };
  }

  private breakAt(entry: ChainEntry): ChainBreak | undefined {
    const { sequence, eventId, previousHash, hash, ...rest } = entry;
    const expected = this.entries + 1;
    const at = (reason: ChainBreakReason, detail: string): ChainBreak => ({
      sequence,
      eventId,
      reason,
      detail,
    });
    if (this.seen.has(eventId)) return at('duplicate', `event ${eventId} is in the chain already`);
    if (sequence > expected) {
      const missing = sequence - 1 === expected ? `${expected}` : `${expected} to ${sequence - 1}`;
      return at('sequence-gap', `entry ${missing} is missing before entry ${sequence}`);
    }
    if (sequence < expected) {
      return at('out-of-order', `entry ${sequence} comes after entry ${expected - 1}`);
    }
    if (entryHash(previousHash, { sequence, eventId, ...rest }) !== hash) {
      return at('hash-mismatch', `entry ${sequence} was changed: its content no longer gives its hash`);
    }
    if (previousHash !== this.head) {
      return at(
        'previous-hash-mismatch',
        sequence === 1
          ? 'entry 1 does not start from the genesis hash: the chain was rewritten'
          : `entry ${sequence} does not point at entry ${sequence - 1}: that one was replaced or rewritten`,
      );
    }
    if (this.knownHead?.entries === sequence && this.knownHead.head !== hash) {
      return at(
        'not-the-known-head',
        `entry ${sequence} is not the known head: the chain up to it was rewritten`,
      );
    }
    return undefined;
  }

  private truncation(): ChainBreak | undefined {
    if (!this.knownHead || this.knownHead.entries <= this.entries) return undefined;
    return {
      sequence: this.entries + 1,
      eventId: null,
      reason: 'truncated',
      detail: `the chain ends at entry ${this.entries}, before the known head at entry ${this.knownHead.entries}`,
    };
  }
}

/** Verifies a whole chain, given in sequence order; pass the known head to catch a cut end. */
export function verifyChain(entries: Iterable<ChainEntry>, knownHead?: KnownHead): ChainVerification {
  const verifier = new ChainVerifier(knownHead);
  for (const entry of entries) if (!verifier.add(entry)) break;
  return verifier.result();
}
