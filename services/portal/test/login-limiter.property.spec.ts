import fc from 'fast-check';
import { LoginLimiter } from '../src/domain/login-limiter';

/** What happens to the limiter: failed sign-ins of a few keys, time passing, a sweep. */
type Step =
  | { kind: 'fail'; key: string }
  | { kind: 'wait'; ms: number }
  | { kind: 'ask'; key: string }
  | { kind: 'sweep' };

/** Windows of whole seconds and waits of whole seconds now and then: where a failure leaves the window exactly. */
const settingsArb = fc.record({
  limit: fc.integer({ min: 1, max: 4 }),
  windowMs: fc.oneof(
    fc.integer({ min: 1, max: 60 }).map((s) => s * 1_000),
    fc.integer({ min: 1_000, max: 60_000 }),
  ),
});
const gapArb = fc.oneof(
  fc.integer({ min: 0, max: 30 }).map((s) => s * 1_000),
  fc.integer({ min: 0, max: 30_000 }),
);

const keys = ['ana|10.0.0.1', 'ana|10.0.0.2', 'bob|10.0.0.1', 'cy|10.0.0.9'];
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...keys).map((key) => ({ kind: 'fail' as const, key })) },
  { weight: 3, arbitrary: gapArb.map((ms) => ({ kind: 'wait' as const, ms })) },
  { weight: 3, arbitrary: fc.constantFrom(...keys).map((key) => ({ kind: 'ask' as const, key })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sweep' as const }) },
);
describe('login limiter properties', () => {
  it('refuses a key exactly while it has `limit` failures within the window, as a plain list of failures says', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(stepArb, { maxLength: 60 }), ({ limit, windowMs }, steps) => {
        let now = 1_000_000;
        const limiter = new LoginLimiter(limit, windowMs, 100, () => now);
        const failures = new Map<string, number[]>();
        const recent = (key: string) => (failures.get(key) ?? []).filter((at) => at > now - windowMs);
        for (const step of steps) {
          if (step.kind === 'fail') {
            limiter.recordFailure(step.key);
            failures.set(step.key, [...(failures.get(step.key) ?? []), now]);
          } else if (step.kind === 'wait') now += step.ms;
          else if (step.kind === 'sweep') {
            limiter.sweep();
            // A sweep keeps exactly the keys with a failure still in the window.
            expect(limiter.size).toBe(keys.filter((key) => recent(key).length > 0).length);
          } else expect(limiter.retryAfterSeconds(step.key) > 0).toBe(recent(step.key).length >= limit);
        }
      }),
    );
  });

  it('asks a refused key to wait just long enough: still refused a second sooner, let through then', () => {
    fc.assert(
      fc.property(
        settingsArb,
        fc.array(gapArb, { minLength: 1, maxLength: 8 }),
        ({ limit, windowMs }, gaps) => {
          let now = 1_000_000;
          const limiter = new LoginLimiter(limit, windowMs, 100, () => now);
          for (const gap of gaps) {
            now += gap;
            limiter.recordFailure('ana|10.0.0.1');
          }
          const wait = limiter.retryAfterSeconds('ana|10.0.0.1');
          if (wait === 0) return;
          const start = now;
          now = start + (wait - 1) * 1_000;
          expect(limiter.retryAfterSeconds('ana|10.0.0.1')).toBeGreaterThan(0);
          now = start + wait * 1_000;
          expect(limiter.retryAfterSeconds('ana|10.0.0.1')).toBe(0);
        },
      ),
    );
  });

  it('never tracks more than maxKeys, forgetting first the keys whose last failure is oldest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(8), { maxLength: 60 }), (maxKeys, ids) => {
        const limiter = new LoginLimiter(1, 60_000, maxKeys, () => 1_000_000);
        const lastFailed: string[] = [];
        for (const id of ids) {
          const key = `user${id}|10.0.0.1`;
          limiter.recordFailure(key);
          if (lastFailed.includes(key)) lastFailed.splice(lastFailed.indexOf(key), 1);
          lastFailed.push(key);
          expect(limiter.size).toBeLessThanOrEqual(maxKeys);
          for (const kept of lastFailed.slice(-maxKeys))
            expect(limiter.retryAfterSeconds(kept)).toBeGreaterThan(0);
        }
      }),
    );
  });
});
