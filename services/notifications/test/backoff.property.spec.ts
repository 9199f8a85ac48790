import fc from 'fast-check';
import { retryDelayMs } from '../src/domain/backoff';

const settingsArb = fc
  .tuple(fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 1, max: 3_600_000 }))
  .map(([baseMs, maxMs]) => ({ baseMs, maxMs }));

describe('retry backoff properties', () => {
  it('waits at least the base (or the cap, if lower) and never more than the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3, max: 2_000 }), settingsArb, (failures, { baseMs, maxMs }) => {
        const delay = retryDelayMs(failures, baseMs, maxMs);
        expect(delay).toBeGreaterThanOrEqual(Math.min(baseMs, maxMs));
        expect(delay).toBeLessThanOrEqual(maxMs);
        expect(Number.isFinite(delay)).toBe(true);
      }),
    );
  });

  it('never waits less after one more failure, and doubles until the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), settingsArb, (failures, { baseMs, maxMs }) => {
        const now = retryDelayMs(failures, baseMs, maxMs);
        const next = retryDelayMs(failures + 1, baseMs, maxMs);
        expect(next).toBeGreaterThanOrEqual(now);
        expect(next).toBe(Math.min(maxMs, 2 * now));
      }),
    );
  });

  it('waits the base after the first failure', () => {
    fc.assert(
      fc.property(
        settingsArb,
        ({ baseMs, maxMs }) => retryDelayMs(1, baseMs, maxMs) === Math.min(baseMs, maxMs),
      ),
    );
  });
});
