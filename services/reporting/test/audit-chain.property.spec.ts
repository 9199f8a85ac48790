import fc from 'fast-check';
import type { AuditEntry } from '../src/audit/canonical';
import { canonicalJson, entryHash, genesisHash } from '../src/audit/canonical';
import type { ChainBreakReason, KnownHead } from '../src/audit/chain';
import { ChainVerifier, verifyChain } from '../src/audit/chain';

/** The facts one entry records, as the trail would take them from events. */
const recordArb = fc.record({
  type: fc.constantFrom('lifecycle.stage-changed', 'call.published', 'milestone.verified'),
  subject: fc.constantFrom('pilot-1', 'pilot-2', 'call-1'),
  actor: fc.oneof(
    fc.record({
      kind: fc.constant('user' as const),
      sub: fc.constantFrom('approver1', 'ana'),
      roles: fc.constant<string[]>(['approver']),
    }),
    fc.record({ kind: fc.constant('system' as const), name: fc.constant('lifecycle') }),
  ),
  minute: fc.nat(100_000),
  data: fc.dictionary(
    fc.constantFrom('to', 'reason', 'score', 'ä', 'z'),
    fc.jsonValue({ maxDepth: 1, stringUnit: 'grapheme', depthSize: 'xsmall' }),
    {
      maxKeys: 4,
    },
  ),
});

/** A chain linked as the trail links it. */
const chainArb = (minLength = 0) =>
  fc.array(recordArb, { minLength, maxLength: 8 }).map((records) => {
    const entries: AuditEntry[] = [];
    records.forEach((r, i) => {
      const sequence = i + 1;
      const eventId = `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`;
      const occurredAt = new Date(Date.UTC(2026, 0, 1) + r.minute * 60_000).toISOString();
      const event = {
        id: eventId,
        type: r.type,
        version: 1,
        source: 'lifecycle',
        subject: r.subject,
        occurredAt,
        correlationId: eventId,
        causationId: null,
        actor: r.actor,
        data: r.data,
      };
      const fields = {
        sequence,
        eventId,
        type: r.type,
        version: 1,
        source: 'lifecycle',
        subject: r.subject,
        actor: r.actor,
        occurredAt,
        recordedAt: occurredAt,
        topic: 'lifecycle.events',
        event,
      };
      const previousHash = entries.at(-1)?.hash ?? genesisHash;
      entries.push({ ...fields, previousHash, hash: entryHash(previousHash, fields) });
    });
    return entries;
  });

const rehash = (entry: AuditEntry): AuditEntry => {
  const { hash: _, previousHash, ...fields } = entry;
  return { ...entry, hash: entryHash(previousHash, fields) };
};

/** Entries numbered and linked anew from the first: what a writer rewriting the trail would store. */
const relinked = (entries: AuditEntry[]): AuditEntry[] =>
  entries.reduce<AuditEntry[]>((chain, entry, i) => {
    const previousHash = chain.at(-1)?.hash ?? genesisHash;
    return [...chain, rehash({ ...entry, sequence: i + 1, previousHash })];
  }, []);

/** One tampering with a stored chain, at one entry. */
type Tampering = (chain: AuditEntry[], at: number) => AuditEntry[];
const tamperings: Record<string, Tampering> = {
  'change a field': (c, i) => c.map((e, j) => (j === i ? { ...e, subject: `${e.subject}x` } : e)),
  'change the event it carries': (c, i) =>
    c.map((e, j) => (j === i ? { ...e, event: { ...e.event, data: { forged: true } } } : e)),
  'add a field': (c, i) => c.map((e, j) => (j === i ? ({ ...e, approved: true } as AuditEntry) : e)),
  'remove a field': (c, i) =>
    c.map((e, j) => {
      if (j !== i) return e;
      const { topic: _, ...rest } = e;
      return rest as AuditEntry;
    }),
  'change a field and its hash': (c, i) =>
    c.map((e, j) => (j === i ? rehash({ ...e, subject: `${e.subject}x` }) : e)),
  'remove the entry': (c, i) => c.filter((_, j) => j !== i),
  'repeat the entry': (c, i) => [...c.slice(0, i + 1), c[i]!, ...c.slice(i + 1)],
  'move the entry to the end': (c, i) => [...c.slice(0, i), ...c.slice(i + 1), c[i]!],
  'record its event again, linked as a new entry': (c, i) =>
    relinked([...c.slice(0, i + 1), c[i]!, ...c.slice(i + 1)]),
  'give it an earlier sequence': (c, i) =>
    c.map((e, j) => (j === i ? rehash({ ...e, sequence: e.sequence - 1 }) : e)),
  'point it at another previous hash': (c, i) =>
    c.map((e, j) => (j === i ? rehash({ ...e, previousHash: 'f'.repeat(64) }) : e)),
};

const tamperedArb = chainArb(1)
  .chain((chain) =>
    fc.tuple(fc.constant(chain), fc.nat(chain.length - 1), fc.constantFrom(...Object.keys(tamperings))),
  )
  // Moving the last entry to the end leaves the chain as it was: no tampering.
  .filter(([chain, at, how]) => !(how === 'move the entry to the end' && at === chain.length - 1));

/** The break each tampering must be found as. */
function expectedReason(how: string, last: boolean): ChainBreakReason {
  switch (how) {
    case 'change a field and its hash':
      return last ? 'not-the-known-head' : 'previous-hash-mismatch';
    case 'remove the entry':
      return last ? 'truncated' : 'sequence-gap';
    case 'repeat the entry':
    case 'record its event again, linked as a new entry':
      return 'duplicate';
    case 'move the entry to the end':
      return 'sequence-gap';
    case 'give it an earlier sequence':
      return 'out-of-order';
    case 'point it at another previous hash':
      return 'previous-hash-mismatch';
    default:
      return 'hash-mismatch';
  }
}

describe('audit chain properties', () => {
  it('verifies an untouched chain, every prefix of it, and a prefix against the head noted on the whole', () => {
    fc.assert(
      fc.property(chainArb(), fc.nat(), (chain, cut) => {
        const whole = verifyChain(chain);
        expect(whole).toEqual({
          valid: true,
          entries: chain.length,
          head: chain.at(-1)?.hash ?? genesisHash,
        });
        const length = chain.length === 0 ? 0 : cut % (chain.length + 1);
        const prefix = verifyChain(chain.slice(0, length));
        expect(prefix.valid).toBe(true);
        expect(verifyChain(chain, prefix).valid).toBe(true);
        const known: KnownHead = { entries: whole.entries, head: whole.head };
        const cutShort = verifyChain(chain.slice(0, length), known);
        expect(cutShort.valid).toBe(length === chain.length);
        if (!cutShort.valid) expect(cutShort.firstBroken?.reason).toBe('truncated');
      }),
    );
  });

  it('breaks on any single tampering, at or before the entry after it, once the head was noted', () => {
    fc.assert(
      fc.property(tamperedArb, ([chain, at, how]) => {
        const noted = verifyChain(chain);
        const tampered = tamperings[how]!(chain, at);
        const verdict = verifyChain(tampered, noted);
        expect(verdict.valid).toBe(false);
        const last = at === chain.length - 1;
        expect(verdict.firstBroken!.reason).toBe(expectedReason(how, last));
        // Found at the tampered entry, or at the next one when the entry was rewritten with a
        // hash of its own or repeated: such an entry is consistent by itself, its successor's link is not.
        const selfConsistent = [
          'repeat the entry',
          'record its event again, linked as a new entry',
          'change a field and its hash',
        ].includes(how);
        expect(verdict.entries).toBeLessThanOrEqual(selfConsistent ? at + 1 : at);
        expect(verdict.head).toBe(verdict.entries === 0 ? genesisHash : tampered[verdict.entries - 1]!.hash);
      }),
      { numRuns: 300 },
    );
  });

  it('breaks on tampering inside the chain even without a noted head', () => {
    fc.assert(
      fc.property(tamperedArb, ([chain, at, how]) => {
        // Only a last entry rewritten with a hash of its own, or cut off, needs the noted head.
        const last = at === chain.length - 1;
        fc.pre(!(last && (how === 'change a field and its hash' || how === 'remove the entry')));
        expect(verifyChain(tamperings[how]!(chain, at)).valid).toBe(false);
      }),
    );
  });

  it('gives the same verdict read one entry at a time as read whole, and stops reading at the first break', () => {
    fc.assert(
      fc.property(tamperedArb, ([chain, at, how]) => {
        const tampered = tamperings[how]!(chain, at);
        const verifier = new ChainVerifier();
        let read = 0;
        for (const entry of tampered) {
          read++;
          if (!verifier.add(entry)) break;
        }
        expect(verifier.result()).toEqual(verifyChain(tampered));
        if (!verifier.result().valid) expect(read).toBe(verifier.result().entries + 1);
      }),
    );
  });

  it('hashes the canonical form, which does not depend on the order keys were written in', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), (value) => {
        const reversed = JSON.parse(JSON.stringify(value), (_, v: unknown) =>
          v !== null && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).reverse())
            : v,
        ) as unknown;
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
