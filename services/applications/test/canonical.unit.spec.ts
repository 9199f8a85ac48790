import { createHash } from 'node:crypto';
import { canonicalJson, contentHash } from '../src/domain/canonical';

describe('canonical JSON', () => {
  it('sorts keys at every depth and leaves out whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[{"y":null,"z":true}]},"b":1}',
    );
  });

  it('is one text whatever order the keys were written in', () => {
    const one = { title: 'T', budget: { total: 10, requested: 5 }, partners: ['EL30', 'PL91'] };
    const other = { partners: ['EL30', 'PL91'], budget: { requested: 5, total: 10 }, title: 'T' };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
    expect(contentHash(one)).toBe(contentHash(other));
  });

  it('keeps the order of arrays: a different order is different content', () => {
    expect(contentHash({ partners: ['EL30', 'PL91'] })).not.toBe(contentHash({ partners: ['PL91', 'EL30'] }));
  });

  it('writes strings and numbers as JSON does, escapes included', () => {
    expect(canonicalJson({ s: 'quote " and \u00e9 and \n', n: 12_345_678_900, f: 0.5 })).toBe(
      '{"f":0.5,"n":12345678900,"s":"quote \\" and \u00e9 and \\n"}',
    );
  });

  it('leaves out undefined values as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });

  it('hashes the canonical text with sha256, in hex', () => {
    const expected = createHash('sha256').update('{"a":1,"b":[2,3]}').digest('hex');
    expect(contentHash({ b: [2, 3], a: 1 })).toBe(expected);
    expect(contentHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sorts keys by code unit, as a sort() of the keys in any language with UTF-16 strings does', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4 })).toBe('{"B":2,"_":4,"a":3,"b":1}');
  });
});
