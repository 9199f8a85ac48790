import { createHash, randomUUID } from 'node:crypto';
import type { AuditEntry } from '../src/audit/canonical';
import { canonicalJson, entryHash, genesisHash } from '../src/audit/canonical';
import { verifyChain } from '../src/audit/chain';

/** A chain of `length` entries, each a made-up stage change of one pilot, linked as the trail links them. */
function chainOf(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let sequence = 1; sequence <= length; sequence++) {
    const id = randomUUID();
    const occurredAt = new Date(Date.UTC(2025, 0, 1, 0, sequence)).toISOString();
    const actor = { kind: 'user' as const, sub: 'approver1', roles: ['approver'] };
    const fields = {
      sequence,
      eventId: id,
      type: 'lifecycle.stage-changed',
      version: 1,
      source: 'lifecycle',
      subject: 'pilot-1',
      actor,
      occurredAt,
      recordedAt: occurredAt,
      topic: 'lifecycle.events',
      event: {
        id,
        type: 'lifecycle.stage-changed',
        version: 1,
        source: 'lifecycle',
        subject: 'pilot-1',
        occurredAt,
        correlationId: randomUUID(),
        causationId: null,
        actor,
        data: { pilotId: 'pilot-1', sequence, to: `stage-${sequence}`, reason: 'Prüfung bestanden ✓' },
      },
    };
    const previousHash = entries.at(-1)?.hash ?? genesisHash;
    entries.push({ ...fields, previousHash, hash: entryHash(previousHash, fields) });
  }
  return entries;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('the canonical form', () => {
  it('does not depend on the order keys were written in, at any depth', () => {
    const one = { b: 1, a: { d: [1, { y: true, x: null }], c: 'x' } };
    const other = { a: { c: 'x', d: [1, { x: null, y: true }] }, b: 1 };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
    expect(canonicalJson(one)).toBe('{"a":{"c":"x","d":[1,{"x":null,"y":true}]},"b":1}');
  });

  it('keeps arrays in order, leaves undefined keys out and has no whitespace', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
    expect(canonicalJson({ a: undefined, b: [undefined], c: ' x ' })).toBe('{"b":[null],"c":" x "}');
  });

  it('writes unicode as it is, sorts unicode keys by code unit, and hashes it as UTF-8', () => {
    const value = { ä: 'Zürich – Ελλάδα 🇪🇺', a: 'ascii', z: '\u0000' };
    expect(canonicalJson(value)).toBe('{"a":"ascii","z":"\\u0000","ä":"Zürich – Ελλάδα 🇪🇺"}');
    expect(canonicalJson({ z: '\u0000', ä: 'Zürich – Ελλάδα 🇪🇺', a: 'ascii' })).toBe(canonicalJson(value));
    // The same text hashed by anyone who reads the export as UTF-8.
    expect(sha256(canonicalJson(value))).toBe(
      createHash('sha256')
        .update(Buffer.from('{"a":"ascii","z":"\\u0000","ä":"Zürich – Ελλάδα 🇪🇺"}', 'utf8'))
        .digest('hex'),
    );
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
  });

  it('makes the entry hash cover the previous hash and every field', () => {
    const [entry] = chainOf(1);
    const { hash, previousHash, ...fields } = entry!;
    expect(previousHash).toBe(genesisHash);
    expect(hash).toBe(sha256(canonicalJson({ ...fields, previousHash })));
    expect(entryHash('1'.repeat(64), fields)).not.toBe(hash);
    expect(entryHash(previousHash, { ...fields, note: 'added' } as typeof fields)).not.toBe(hash);
  });
});

describe('verifying a chain', () => {
  it('finds an intact chain valid, its head the last hash', () => {
    const chain = chainOf(5);
    expect(verifyChain(chain)).toEqual({ valid: true, entries: 5, head: chain[4]!.hash });
  });

  it('finds an empty chain valid, its head the genesis hash', () => {
    expect(verifyChain([])).toEqual({ valid: true, entries: 0, head: genesisHash });
  });

  it.each([
    [
      'the event data changed',
      (e: AuditEntry) => ({
        ...e,
        event: { ...e.event, data: { ...(e.event.data as object), to: 'closed' } },
      }),
    ],
    ['the actor changed', (e: AuditEntry) => ({ ...e, actor: { kind: 'system' as const, name: 'someone' } })],
    ['the type changed', (e: AuditEntry) => ({ ...e, type: 'lifecycle.pilot-approved' })],
    ['the time changed', (e: AuditEntry) => ({ ...e, occurredAt: '2024-12-31T23:59:59.000Z' })],
    ['a field added', (e: AuditEntry) => ({ ...e, note: 'harmless' })],
  ])('finds %s, at that entry', (_, change) => {
    const chain = chainOf(5);
    const changed = chain.map((entry, i) => (i === 2 ? change(entry) : entry));
    expect(verifyChain(changed)).toEqual({
      valid: false,
      entries: 2,
      head: chain[1]!.hash,
      firstBroken: {
        sequence: 3,
        eventId: chain[2]!.eventId,
        reason: 'hash-mismatch',
        detail: expect.stringContaining('changed'),
      },
    });
  });

  it('finds a changed entry whose hash was recomputed, at the entry after it', () => {
    const chain = chainOf(5);
    const { hash: _hash, previousHash, ...fields } = chain[2]!;
    const rewritten = { ...fields, subject: 'pilot-2' };
    chain[2] = { ...rewritten, previousHash, hash: entryHash(previousHash, rewritten) };
    expect(verifyChain(chain).firstBroken).toMatchObject({
      sequence: 4,
      eventId: chain[3]!.eventId,
      reason: 'previous-hash-mismatch',
    });
  });

  it('finds the first entry removed', () => {
    const chain = chainOf(4);
    expect(verifyChain(chain.slice(1))).toMatchObject({
      valid: false,
      entries: 0,
      head: genesisHash,
      firstBroken: {
        sequence: 2,
        eventId: chain[1]!.eventId,
        reason: 'sequence-gap',
        detail: expect.stringContaining('entry 1 is missing'),
      },
    });
  });

  it('finds a middle entry removed, at the entry after the gap', () => {
    const chain = chainOf(5);
    expect(verifyChain([...chain.slice(0, 2), ...chain.slice(3)])).toMatchObject({
      valid: false,
      entries: 2,
      firstBroken: {
        sequence: 4,
        eventId: chain[3]!.eventId,
        reason: 'sequence-gap',
        detail: expect.stringContaining('entry 3 is missing'),
      },
    });
  });

  it('finds a removed entry renumbered over, by its broken links', () => {
    const chain = chainOf(5);
    const renumbered = [
      ...chain.slice(0, 2),
      ...chain.slice(3).map((e) => ({ ...e, sequence: e.sequence - 1 })),
    ];
    expect(verifyChain(renumbered).firstBroken).toMatchObject({
      sequence: 3,
      eventId: chain[3]!.eventId,
      reason: 'hash-mismatch',
    });
  });

  it('finds the last entry removed only against a head noted before', () => {
    const chain = chainOf(5);
    const noted = verifyChain(chain);
    const cut = chain.slice(0, 4);
    // A shorter chain is a chain: nothing in it shows that its end is gone…
    expect(verifyChain(cut)).toEqual({ valid: true, entries: 4, head: chain[3]!.hash });
    // …but it no longer reaches the head noted earlier.
    expect(verifyChain(cut, noted)).toMatchObject({
      valid: false,
      entries: 4,
      firstBroken: { sequence: 5, eventId: null, reason: 'truncated' },
    });
    // A chain that grew since is still valid against it.
    expect(verifyChain(chain, verifyChain(chain.slice(0, 3))).valid).toBe(true);
  });

  it('finds a chain rewritten from its start against a head noted before', () => {
    const noted = verifyChain(chainOf(3));
    const forged = chainOf(4);
    expect(verifyChain(forged).valid).toBe(true);
    expect(verifyChain(forged, noted).firstBroken).toMatchObject({
      sequence: 3,
      eventId: forged[2]!.eventId,
      reason: 'not-the-known-head',
    });
  });

  it('finds entries in another order', () => {
    const chain = chainOf(5);
    const [first, second, third, fourth, fifth] = chain as [
      AuditEntry,
      AuditEntry,
      AuditEntry,
      AuditEntry,
      AuditEntry,
    ];
    expect(verifyChain([first, second, fourth, third, fifth]).firstBroken).toMatchObject({
      sequence: 4,
      eventId: fourth.eventId,
      reason: 'sequence-gap',
    });
    expect(verifyChain([first, second, third, fifth, fourth]).firstBroken).toMatchObject({
      sequence: 5,
      eventId: fifth.eventId,
      reason: 'sequence-gap',
    });
  });

  it('finds entries that swapped places, sequences and all', () => {
    const chain = chainOf(5);
    const swapped = chain.map((entry, i) =>
      i === 1 ? { ...chain[3]!, sequence: 2 } : i === 3 ? { ...chain[1]!, sequence: 4 } : entry,
    );
    expect(verifyChain(swapped).firstBroken).toMatchObject({
      sequence: 2,
      eventId: chain[3]!.eventId,
      reason: 'hash-mismatch',
    });
  });

  it('finds an entry repeated, and an entry out of order', () => {
    const chain = chainOf(4);
    expect(verifyChain([...chain.slice(0, 3), chain[2]!, chain[3]!]).firstBroken).toMatchObject({
      sequence: 3,
      eventId: chain[2]!.eventId,
      reason: 'duplicate',
    });
    const stale = { ...chain[3]!, sequence: 2, eventId: randomUUID() };
    expect(verifyChain([...chain.slice(0, 3), stale]).firstBroken).toMatchObject({
      sequence: 2,
      reason: 'out-of-order',
    });
  });

  it('finds an event appended twice at different places', () => {
    const chain = chainOf(4);
    const { hash: _hash, previousHash: _previous, ...fields } = chain[1]!;
    const again = { ...fields, sequence: 4 };
    const previousHash = chain[2]!.hash;
    const forged = [...chain.slice(0, 3), { ...again, previousHash, hash: entryHash(previousHash, again) }];
    expect(verifyChain(forged).firstBroken).toMatchObject({
      sequence: 4,
      eventId: chain[1]!.eventId,
      reason: 'duplicate',
    });
  });
});
