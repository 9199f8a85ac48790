import type { MemberState } from '@s3p/contracts';
import fc from 'fast-check';
import type { PoolReviewer, SeatRequest } from '../src/domain/reviewer-selection';
import { exclusionOf, selectReviewers } from '../src/domain/reviewer-selection';

const countries: MemberState[] = ['BG', 'GR', 'PL', 'DE', 'FR', 'IT'];
const regions = ['BG41', 'EL30', 'PL91', 'DE11', 'FR10'];

const reviewerArb = (id: string): fc.Arbitrary<PoolReviewer> =>
  fc.record({
    id: fc.constant(id),
    country: fc.constantFrom(...countries),
    conflicts: fc.record({
      regions: fc.subarray(regions),
      countries: fc.subarray(countries, { maxLength: 2 }),
    }),
    active: fc.constantFrom(true, true, true, false),
  });

/** A pool of reviewers with distinct ids, a workload for some of them, and a request for seats. */
const scenarioArb = fc
  .uniqueArray(fc.stringMatching(/^[a-e][0-9]$/), { maxLength: 10 })
  .chain((ids) =>
    fc.record({
      pool: fc.tuple(...ids.map(reviewerArb)),
      workload: fc.tuple(...ids.map(() => fc.option(fc.nat(4), { nil: undefined }))),
      request: fc.record({
        count: fc.integer({ min: 0, max: 7 }),
        regions: fc.subarray(regions, { minLength: 1, maxLength: 3 }),
        countries: fc.subarray(countries, { minLength: 1, maxLength: 3 }),
        excluded: fc.subarray(ids),
      }),
    }),
  )
  .map(({ pool, workload, request }) => ({
    pool: pool as PoolReviewer[],
    workload: new Map(
      pool.flatMap((r, i) => (workload[i] === undefined ? [] : [[r.id, workload[i]] as [string, number]])),
    ),
    request: request as SeatRequest,
  }));

const loadOf = (workload: ReadonlyMap<string, number>, id: string) => workload.get(id) ?? 0;

describe('reviewer selection properties', () => {
  it('seats only reviewers without a conflict, each once, as many as the request and the pool allow', () => {
    fc.assert(
      fc.property(scenarioArb, ({ pool, workload, request }) => {
        const { chosen, missing } = selectReviewers(pool, workload, request);
        const eligible = pool.filter((r) => exclusionOf(r, request) === undefined);
        expect(new Set(chosen).size).toBe(chosen.length);
        for (const id of chosen) {
          const reviewer = pool.find((r) => r.id === id)!;
          expect(reviewer.active).toBe(true);
          expect(request.excluded).not.toContain(id);
          expect(request.countries).not.toContain(reviewer.country);
          expect(reviewer.conflicts.regions.some((region) => request.regions.includes(region))).toBe(false);
          expect(reviewer.conflicts.countries.some((c) => request.countries.includes(c))).toBe(false);
        }
        expect(chosen).toHaveLength(Math.min(request.count, eligible.length));
        expect(missing).toBe(request.count - chosen.length);
      }),
    );
  });

  it('says of every reviewer not eligible why, and of nobody else', () => {
    fc.assert(
      fc.property(scenarioArb, ({ pool, workload, request }) => {
        const { passedOver } = selectReviewers(pool, workload, request);
        const expected = Object.fromEntries(
          pool.flatMap((r) => {
            const exclusion = exclusionOf(r, request);
            return exclusion ? [[r.id, exclusion]] : [];
          }),
        );
        expect(passedOver).toEqual(expected);
      }),
    );
  });

  it('is the reference choice: the eligible reviewers by workload, then id, the first `count`', () => {
    fc.assert(
      fc.property(scenarioArb, ({ pool, workload, request }) => {
        const reference = pool
          .filter((r) => exclusionOf(r, request) === undefined)
          .map((r) => r.id)
          .sort((a, b) => loadOf(workload, a) - loadOf(workload, b) || (a < b ? -1 : a > b ? 1 : 0))
          .slice(0, request.count);
        expect(selectReviewers(pool, workload, request).chosen).toEqual(reference);
      }),
    );
  });

  it('never seats a busier reviewer over a less busy eligible one left out', () => {
    fc.assert(
      fc.property(scenarioArb, ({ pool, workload, request }) => {
        const { chosen } = selectReviewers(pool, workload, request);
        const left = pool.filter((r) => exclusionOf(r, request) === undefined && !chosen.includes(r.id));
        for (const id of chosen) {
          for (const other of left)
            expect(loadOf(workload, id)).toBeLessThanOrEqual(loadOf(workload, other.id));
        }
      }),
    );
  });

  it('gives the same seats whatever the order of the pool', () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((s) =>
          fc.tuple(fc.constant(s), fc.shuffledSubarray(s.pool, { minLength: s.pool.length })),
        ),
        ([{ pool, workload, request }, shuffled]) => {
          expect(selectReviewers(shuffled, workload, request)).toEqual(
            selectReviewers(pool, workload, request),
          );
        },
      ),
    );
  });
});
