import type { Request } from 'express';
import fc from 'fast-check';
import { ifMatchVersion, versionTag } from '../src/concurrency';
import { newId } from '../src/ids';
import { afterCursor, pageOf, pageQuery } from '../src/pagination';
import { HttpProblem } from '../src/problem';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Documents with ids made at distinct times, as a list stores them. */
const docsArb = fc
  .uniqueArray(fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }), { maxLength: 60 })
  .map((times) => times.map((t) => ({ _id: newId(t), t })));

/** What the database answers for `{ _id: { $lt: cursor } }`, newest first, `limit + 1` at most. */
function query(docs: { _id: string; t: number }[], filter: { _id?: { $lt: string } }, limit: number) {
  return [...docs]
    .sort((a, b) => (a._id < b._id ? 1 : a._id > b._id ? -1 : 0))
    .filter((d) => filter._id === undefined || d._id < filter._id.$lt)
    .slice(0, limit + 1);
}

describe('pagination properties', () => {
  it('pages through a list newest first, every item exactly once, the last page without a cursor', () => {
    fc.assert(
      fc.property(docsArb, fc.integer({ min: 1, max: 100 }), (docs, limit) => {
        const seen: number[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = pageOf(query(docs, afterCursor(cursor), limit), limit, (d) => d.t);
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items);
          cursor = page.nextCursor;
          pages++;
          expect(pages).toBeLessThanOrEqual(docs.length + 1);
        } while (cursor !== undefined);
        expect(seen).toEqual(docs.map((d) => d.t).sort((a, b) => b - a));
        expect(pages).toBe(Math.max(1, Math.ceil(docs.length / limit)));
      }),
    );
  });

  it('makes time-ordered UUIDv7 ids that a cursor can carry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 2 }),
        fc.integer({ min: 1, max: 1_000 }),
        (t, later) => {
          const a = newId(t);
          const b = newId(Math.min(2 ** 48 - 1, t + later));
          expect(a).toMatch(uuidV7);
          expect(a < b).toBe(true);
          expect(afterCursor(Buffer.from(a).toString('base64url'))).toEqual({ _id: { $lt: a } });
        },
      ),
    );
  });

  it('refuses, with a 400 naming the cursor, anything it did not give', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url')),
          // A cursor it gave, with something added.
          fc.string({ minLength: 1 }).map((extra) => Buffer.from(newId() + extra).toString('base64url')),
        ),
        (cursor) => {
          const id = Buffer.from(cursor, 'base64url').toString('utf8');
          fc.pre(!/^[0-9a-f-]{36}$/.test(id));
          try {
            afterCursor(cursor);
            throw new Error(`the cursor ${cursor} was taken`);
          } catch (error) {
            expect(error).toBeInstanceOf(HttpProblem);
            expect(error).toMatchObject({ status: 400, errors: [{ path: 'query.cursor' }] });
          }
        },
      ),
    );
  });

  it('admits page sizes from 1 to 100 only, 20 when none is asked for', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -5, max: 200 }),
          fc.constantFrom('0', '1', '100', '101', '1e2', '0x10', ' 5', 'NaN', '', '2.5'),
        ),
        (limit) => {
          const parsed = pageQuery.safeParse({ limit: String(limit) });
          const n = Number(String(limit));
          expect(parsed.success).toBe(
            Number.isInteger(n) && n >= 1 && n <= 100 && String(limit).trim() !== '',
          );
        },
      ),
    );
    expect(pageQuery.parse({})).toEqual({ limit: 20 });
  });

  it('reads back every version it tags, strong or weak', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999_999 }), fc.boolean(), (version, weak) => {
        const header = `${weak ? 'W/' : ''}${versionTag(version)}`;
        const req = {
          get: (name: string) => (name === 'if-match' ? header : undefined),
        } as unknown as Request;
        expect(ifMatchVersion(req)).toBe(version);
      }),
    );
  });
});
