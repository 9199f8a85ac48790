import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { canonicalJson, contentHash } from '../src/domain/canonical';
import { canonical } from './fixtures';

/** A JSON value as JSON itself normalises it (-0 becomes 0). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** The same value with every object's keys in a generated order, at every depth. */
function reordered(value: unknown, order: number[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reordered(item, order));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const shuffled = entries
    .map((entry, i) => ({ entry, key: order[i % Math.max(1, order.length)]! + i / 1_000 }))
    .sort((a, b) => a.key - b.key)
    .map(({ entry: [k, v] }) => [k, reordered(v, order)] as const);
  return Object.fromEntries(shuffled);
}

/** JSON with strings of any Unicode text, keys included: a region's content is in its own language. */
const json = (constraints: { maxDepth?: number } = {}) =>
  fc.jsonValue({ ...constraints, stringUnit: 'grapheme' });

const orderArb = fc.array(fc.nat(100), { minLength: 1, maxLength: 8 });

describe('canonical JSON properties', () => {
  it('reads back as the value it was written from', () => {
    fc.assert(
      fc.property(json(), (value) => isDeepStrictEqual(JSON.parse(canonicalJson(value)), asJson(value))),
    );
  });

  it('is the same text and hash whatever order the keys were written in', () => {
    fc.assert(
      fc.property(json(), orderArb, (value, order) => {
        const other = reordered(value, order);
        expect(canonicalJson(other)).toBe(canonicalJson(value));
        expect(contentHash(other)).toBe(contentHash(value));
      }),
    );
  });

  it('is the text a region computes independently (fixtures), integer-like keys sorted as text too', () => {
    // JavaScript puts integer-like keys first in an object; the canonical order must not follow it.
    expect(canonicalJson({ '0': 0, '': null })).toBe('{"":null,"0":0}');
    fc.assert(fc.property(json(), (value) => canonicalJson(value) === canonical(value)));
  });

  it('gives two values one text exactly when they are the same JSON', () => {
    fc.assert(
      fc.property(json({ maxDepth: 2 }), json({ maxDepth: 2 }), (a, b) => {
        expect(canonicalJson(a) === canonicalJson(b)).toBe(isDeepStrictEqual(asJson(a), asJson(b)));
      }),
    );
  });

  it('hashes the canonical text as UTF-8 with SHA-256, in hex', () => {
    fc.assert(
      fc.property(json(), (value) => {
        const hash = contentHash(value);
        expect(hash).toMatch(/^[0-9a-f]{64}$/);
        expect(hash).toBe(
          createHash('sha256')
            .update(Buffer.from(canonicalJson(value), 'utf8'))
            .digest('hex'),
        );
      }),
    );
  });

  it('leaves out keys whose value is undefined, as JSON.stringify does', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme' }), fc.option(json({ maxDepth: 1 }), { nil: undefined })),
        (record) => {
          const defined = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
          expect(canonicalJson(record)).toBe(canonicalJson(defined));
        },
      ),
    );
  });
});
