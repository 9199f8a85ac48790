import fc from 'fast-check';
import { applyCallPatch, budgetReservationBody, callDraftBody, euroCents } from '../src';

const base = Date.parse('2027-01-15T09:00:00Z');
const hour = 3_600_000;

/** A call draft with each cross-field rule now kept, now broken. */
const draftArb = fc
  .record({
    pilotType: fc.constantFrom('industrial-transition' as const, 'interregional-partnership' as const),
    weights: fc.oneof(
      // Whole weights, adding up to 100 or not.
      fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }),
      // Shares of 100, which add up to 100 but for floating point.
      fc
        .array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 7 })
        .map((shares) => shares.map((s) => (s * 100) / shares.reduce((a, b) => a + b, 0))),
    ),
    repeatedId: fc.boolean(),
    totalBudget: fc.integer({ min: 1, max: 1_000 }),
    ceilingOffset: fc.integer({ min: -500, max: 2 }),
    closesIn: fc.integer({ min: -3, max: 3 }),
    minPartners: fc.nat(3),
    maxPartners: fc.nat(3),
    minCountries: fc.integer({ min: 1, max: 3 }),
  })
  .map((d) => ({
    body: {
      pilotType: d.pilotType,
      title: 'A call',
      summary: 'A summary.',
      eligibility: {
        countries: ['BG', 'SE'],
        minPartners: d.minPartners,
        maxPartners: d.maxPartners,
        minCountries: d.minCountries,
      },
      prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
      criteria: d.weights.map((weight, i) => ({
        id: d.repeatedId && i === 1 ? 'c0' : `c${i}`,
        name: `Criterion ${i}`,
        weight,
        maxScore: 5,
      })),
      passThreshold: 60,
      reviewersPerApplication: 2,
      totalBudget: d.totalBudget,
      perApplicationCeiling: Math.max(1, d.totalBudget + d.ceilingOffset),
      opensAt: new Date(base).toISOString(),
      closesAt: new Date(base + d.closesIn * hour).toISOString(),
    },
  }));

/** The paths of the rules a draft breaks, from DESIGN.md's words. */
function brokenRules(body: {
  pilotType: string;
  criteria: { id: string; weight: number }[];
  totalBudget: number;
  perApplicationCeiling: number;
  opensAt: string;
  closesAt: string;
  eligibility: { minPartners: number; maxPartners: number; minCountries: number };
}): string[] {
  const broken: string[] = [];
  const sum = body.criteria.reduce((a, c) => a + c.weight, 0);
  if (Math.abs(sum - 100) > 1e-6) broken.push('criteria');
  if (new Set(body.criteria.map((c) => c.id)).size < body.criteria.length) broken.push('criteria');
  if (body.perApplicationCeiling > body.totalBudget) broken.push('perApplicationCeiling');
  if (Date.parse(body.closesAt) <= Date.parse(body.opensAt)) broken.push('closesAt');
  const { minPartners, maxPartners, minCountries } = body.eligibility;
  if (maxPartners < minPartners) broken.push('eligibility.maxPartners');
  if (body.pilotType === 'interregional-partnership' && minPartners < 1)
    broken.push('eligibility.minPartners');
  if (body.pilotType === 'industrial-transition' && (maxPartners > 0 || minCountries > 1))
    broken.push('eligibility');
  return broken.sort();
}

const pathsOf = (input: unknown) => {
  const result = callDraftBody.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.')).sort();
};

describe('call contract properties', () => {
  it('refuses a draft exactly for the rules it breaks, each at its field', () => {
    fc.assert(
      fc.property(draftArb, ({ body }) => {
        expect(pathsOf(body)).toEqual(brokenRules(body));
      }),
      { numRuns: 300 },
    );
  });

  it('checks a patched call by the same rules as a draft', () => {
    fc.assert(
      fc.property(
        draftArb,
        draftArb,
        fc.subarray([
          'totalBudget',
          'perApplicationCeiling',
          'closesAt',
          'criteria',
          'eligibility',
          'pilotType',
        ] as const),
        (valid, other, fields) => {
          fc.pre(callDraftBody.safeParse(valid.body).success);
          const current = callDraftBody.parse(valid.body);
          const patch = Object.fromEntries(fields.map((f) => [f, other.body[f]]));
          const merged = { ...valid.body, ...patch };
          expect(applyCallPatch(current, patch).success).toBe(brokenRules(merged).length === 0);
        },
      ),
    );
  });

  it('admits as money exactly the whole numbers of cents from 0 to 10^15', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -10, max: 10 }),
          fc.double({ min: -1e16, max: 1e16 }),
          fc.constantFrom(1e15, 1e15 + 1, 0.5, -0),
        ),
        (amount) => {
          const whole = Number.isInteger(amount) && amount >= 0 && amount <= 1e15;
          expect(euroCents.safeParse(amount).success).toBe(whole);
          expect(budgetReservationBody.safeParse({ applicationId: 'app-1', amount }).success).toBe(
            whole && amount > 0,
          );
        },
      ),
    );
  });
});
