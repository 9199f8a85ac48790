import type { CallPatchBody, CallStatus, PriorityDomain } from '@s3p/contracts';
import { callDraftBody } from '@s3p/contracts';
import fc from 'fast-check';
import type { CallAction, CallState, Reservation } from '../src/domain/call-rules';
import {
  amendment,
  callFieldNames,
  lockedFields,
  mayDo,
  normalizeCall,
  publication,
  reservation,
  statusesAllowing,
} from '../src/domain/call-rules';

const now = new Date('2027-02-01T12:00:00.000Z');
const hour = 3_600_000;
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();
const statuses: CallStatus[] = ['draft', 'scheduled', 'open', 'closed'];
const actions: CallAction[] = ['amend', 'publish', 'open', 'close', 'reserve'];

function callIn(status: CallStatus, overrides: Partial<CallState> = {}): CallState {
  const fields = normalizeCall(
    callDraftBody.parse({
      pilotType: 'industrial-transition',
      title: 'Industrial transition support',
      summary: 'Tailored support for regions in industrial transition.',
      eligibility: { countries: ['BG', 'PL'] },
      prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
      criteria: [
        { id: 'relevance', name: 'Relevance', weight: 50, maxScore: 5 },
        { id: 'quality', name: 'Quality', weight: 50, maxScore: 5 },
      ],
      passThreshold: 60,
      reviewersPerApplication: 2,
      totalBudget: 1_000_000,
      perApplicationCeiling: 300_000,
      opensAt: status === 'scheduled' || status === 'draft' ? at(24 * hour) : at(-24 * hour),
      closesAt: at(30 * 24 * hour),
    }),
  );
  return { ...fields, status, committedBudget: 0, ...overrides };
}

/**
 * An amount: anywhere, or right at a bound of the call as it stands when the step comes (what
 * remains, the ceiling, what is committed), where an off-by-one shows.
 */
type Amount = { anywhere: number } | { near: 'remaining' | 'ceiling' | 'committed'; delta: number };
interface Bounds {
  remaining: number;
  ceiling: number;
  committed: number;
}
const amountArb = (max: number): fc.Arbitrary<Amount> =>
  fc.oneof(
    fc.integer({ min: 1, max }).map((anywhere) => ({ anywhere })),
    fc.record({
      near: fc.constantFrom('remaining' as const, 'ceiling' as const, 'committed' as const),
      delta: fc.integer({ min: -2, max: 2 }),
    }),
  );
const resolve = (amount: Amount, bounds: Bounds) =>
  'anywhere' in amount ? amount.anywhere : Math.max(1, bounds[amount.near] + amount.delta);

/** A stream of what happens to one call's budget: reservations (some repeated) and changes of its total. */
const budgetStepArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const),
      applicationId: fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5', 'a6'),
      amount: amountArb(400_000),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('total' as const),
      // Mostly right at what is committed: the bound a change of the total must respect.
      totalBudget: fc.oneof(
        amountArb(1_500_000),
        fc.record({ near: fc.constant('committed' as const), delta: fc.integer({ min: -2, max: 2 }) }),
        fc.record({ near: fc.constant('committed' as const), delta: fc.integer({ min: -2, max: 2 }) }),
      ),
    }),
  },
);

describe('call rule properties', () => {
  it('never commits more than the budget, nor more than the ceiling to one application, nor twice to one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<CallStatus>('open', 'open', 'closed'),
        fc.array(budgetStepArb, { maxLength: 25 }),
        (status, steps) => {
          let call = callIn(status);
          let remaining = call.totalBudget;
          const held = new Map<string, Reservation>();
          for (const step of steps) {
            const bounds = {
              remaining,
              ceiling: call.perApplicationCeiling,
              committed: call.committedBudget,
            };
            if (step.kind === 'total') {
              const totalBudget = resolve(step.totalBudget, bounds);
              const decision = amendment(call, { totalBudget }, now);
              if (decision.kind === 'amend') {
                expect(decision.fields.totalBudget).toBeGreaterThanOrEqual(call.committedBudget);
                call = { ...call, ...decision.fields };
                remaining = decision.remainingBudget;
              } else if (decision.kind === 'refused') {
                expect(
                  totalBudget < call.committedBudget ||
                    totalBudget < call.perApplicationCeiling ||
                    status === 'closed',
                ).toBe(true);
              }
            } else {
              const request = { applicationId: step.applicationId, amount: resolve(step.amount, bounds) };
              const existing = held.get(request.applicationId);
              const decision = reservation(
                {
                  status,
                  perApplicationCeiling: call.perApplicationCeiling,
                  committedBudget: call.committedBudget,
                  remainingBudget: remaining,
                },
                existing,
                request,
              );
              if (decision.kind === 'reserve') {
                expect(existing).toBeUndefined();
                expect(request.amount).toBeLessThanOrEqual(call.perApplicationCeiling);
                expect(decision.committedBudget).toBe(call.committedBudget + request.amount);
                call = { ...call, committedBudget: decision.committedBudget };
                remaining = decision.remainingBudget;
                held.set(request.applicationId, { ...request, reservedAt: now.toISOString() });
              } else if (decision.kind === 'existing') {
                expect(decision.reservation).toBe(existing);
                expect(request.amount).toBe(existing!.amount);
              } else {
                // A refusal is owed: another amount for the same application, or no room for this one.
                const roomless = request.amount > Math.min(remaining, call.perApplicationCeiling);
                expect(
                  (existing !== undefined && existing.amount !== request.amount) || (!existing && roomless),
                ).toBe(true);
              }
            }
            const committed = [...held.values()].reduce((sum, r) => sum + r.amount, 0);
            expect(call.committedBudget).toBe(committed);
            expect(remaining).toBeGreaterThanOrEqual(0);
            expect(call.committedBudget + remaining).toBe(call.totalBudget);
          }
        },
      ),
    );
  });

  it('reserves only on an open or closed call, and then whenever the amount fits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.nat(1_000_000),
        amountArb(400_000),
        (status, ceiling, remainingBudget, drawn) => {
          const amount = resolve(drawn, { remaining: remainingBudget, ceiling, committed: 0 });
          const decision = reservation(
            { status, perApplicationCeiling: ceiling, committedBudget: 0, remainingBudget },
            undefined,
            { applicationId: 'a1', amount },
          );
          if (!mayDo(status, 'reserve'))
            return expect(decision).toMatchObject({ kind: 'refused', status: 409 });
          const fits = amount <= ceiling && amount <= remainingBudget;
          expect(decision.kind).toBe(fits ? 'reserve' : 'refused');
        },
      ),
    );
  });

  it('publishes only a draft, to a published status: open once its date has come, never after its deadline', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -100, max: 100 })),
        fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -100, max: 200 })),
        (status, opensIn, closesIn) => {
          const call = { status, opensAt: at(opensIn * hour), closesAt: at(closesIn * hour) };
          const decision = publication(call, now);
          if (status !== 'draft') return expect(decision).toMatchObject({ kind: 'refused', status: 409 });
          if (closesIn <= 0) return expect(decision).toMatchObject({ kind: 'refused', status: 422 });
          expect(decision).toEqual({ kind: 'publish', status: opensIn <= 0 ? 'open' : 'scheduled' });
          expect(mayDo(decision.kind === 'publish' ? decision.status : 'draft', 'publish')).toBe(false);
        },
      ),
    );
  });

  it('lists for each action exactly the statuses that allow it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.constantFrom(...actions), (status, action) => {
        expect(statusesAllowing(action).includes(status)).toBe(mayDo(status, action));
      }),
    );
  });

  /** A patch of a few fields, each to a value the contract admits. */
  const patchArb: fc.Arbitrary<CallPatchBody> = fc
    .record(
      {
        title: fc.constantFrom('Industrial transition support', 'A new title'),
        summary: fc.constantFrom(
          'Tailored support for regions in industrial transition.',
          'Another summary.',
        ),
        pilotType: fc.constantFrom('industrial-transition' as const, 'interregional-partnership' as const),
        passThreshold: fc.constantFrom(60, 70),
        scoreTolerance: fc.constantFrom(15, 10),
        reviewersPerApplication: fc.constantFrom(2, 3),
        totalBudget: fc.constantFrom(1_000_000, 2_000_000, 200_000),
        perApplicationCeiling: fc.constantFrom(300_000, 100_000),
        opensAt: fc.constantFrom(at(24 * hour), at(-24 * hour), at(48 * hour)),
        closesAt: fc.constantFrom(at(30 * 24 * hour), at(60 * 24 * hour), at(-hour)),
        prioritySectors: fc.constantFrom<PriorityDomain[][]>(
          [{ kind: 'economic', naceSection: 'C' }],
          [{ kind: 'economic', naceSection: 'F' }],
        ),
      },
      { requiredKeys: [] },
    )
    .filter((patch) => Object.keys(patch).length > 0);

  it('never changes a locked field, and an amendment applied again changes nothing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<CallStatus>('draft', 'scheduled', 'open', 'closed'),
        patchArb,
        (status, patch) => {
          const call = callIn(status, { committedBudget: status === 'open' ? 150_000 : 0 });
          const decision = amendment(call, patch, now);
          if (status === 'closed') return expect(decision).toMatchObject({ kind: 'refused', status: 409 });
          if (decision.kind !== 'amend') return;
          const locked = lockedFields[status];
          for (const field of decision.changed) expect(locked).not.toContain(field);
          for (const field of callFieldNames.filter((f) => !decision.changed.includes(f))) {
            expect(decision.fields[field]).toEqual(call[field]);
          }
          expect(decision.remainingBudget).toBe(decision.fields.totalBudget - call.committedBudget);
          expect(decision.remainingBudget).toBeGreaterThanOrEqual(0);
          expect(decision.opened).toBe(status === 'scheduled' && decision.status === 'open');
          const after: CallState = { ...call, ...decision.fields, status: decision.status };
          expect(amendment(after, patch, now)).toEqual({ kind: 'unchanged' });
        },
      ),
      { numRuns: 200 },
    );
  });
});
