import type {
  MemberState,
  PilotType,
  PriorityDomain,
  RegionCategory,
  SubmissionReceipt,
  SubmittedApplication,
  SupportArea,
} from '@s3p/contracts';
import fc from 'fast-check';
import type { EligibilityCall, RegionFacts } from '../src/domain/eligibility';
import { eligibilityReasons } from '../src/domain/eligibility';

/**
 * Small worlds: a handful of regions with generated member states and categories (some unknown),
 * calls and applications drawn from them. The rules are compared, rule by rule and count by
 * count, with a reference written from the rules' wording in DESIGN.md.
 */
const countries: MemberState[] = ['BG', 'GR', 'PL', 'DE', 'FR'];
const regionCodes = ['BG41', 'EL30', 'PL91', 'DE11', 'FR10', 'BG42'];
const categories: RegionCategory[] = ['less-developed', 'transition', 'more-developed'];
const domains: PriorityDomain[] = [
  { kind: 'economic', naceSection: 'C' },
  { kind: 'economic', naceSection: 'F' },
  { kind: 'scientific', nabsChapter: '07' },
];
const supportAreas: SupportArea[] = ['skills', 'innovation-capacity'];
const pilotTypes: PilotType[] = ['industrial-transition', 'interregional-partnership'];
const opensAt = Date.parse('2026-01-01T00:00:00.000Z');
const closesAt = Date.parse('2026-06-30T23:59:59.000Z');
const day = 86_400_000;

const worldArb = fc.record({
  countryOf: fc.tuple(...regionCodes.map(() => fc.constantFrom(...countries))),
  categoryOf: fc.tuple(
    ...regionCodes.map(() => fc.option(fc.constantFrom(...categories), { nil: undefined })),
  ),
});

const callArb = fc
  .record({
    sameCall: fc.boolean(),
    pilotType: fc.constantFrom(...pilotTypes),
    countries: fc.subarray(countries, { minLength: 1 }),
    minPartners: fc.nat(3),
    extraPartners: fc.nat(2),
    minCountries: fc.integer({ min: 1, max: 3 }),
    regionCategories: fc.option(fc.subarray(categories, { minLength: 1 }), { nil: undefined }),
    prioritySectors: fc.subarray(domains, { minLength: 1 }),
    ceiling: fc.integer({ min: 1, max: 1_000 }),
    aboveCeiling: fc.nat(1_000),
  })
  .map((c): EligibilityCall => ({
    id: 'call-1',
    pilotType: c.pilotType,
    eligibility: {
      countries: c.countries,
      minPartners: c.minPartners,
      maxPartners: c.minPartners + c.extraPartners,
      minCountries: c.minCountries,
      ...(c.regionCategories ? { regionCategories: c.regionCategories } : {}),
    },
    prioritySectors: c.prioritySectors,
    criteria: [{ id: 'relevance', name: 'Relevance', weight: 100, maxScore: 5 }],
    perApplicationCeiling: c.ceiling,
    totalBudget: c.ceiling + c.aboveCeiling,
    opensAt: new Date(opensAt).toISOString(),
    closesAt: new Date(closesAt).toISOString(),
  }));

const applicationArb = fc.record({
  callId: fc.constantFrom<string>('call-1', 'call-1', 'call-2'),
  pilotType: fc.constantFrom(...pilotTypes),
  region: fc.constantFrom(...regionCodes),
  partners: fc.array(fc.constantFrom(...regionCodes), { maxLength: 5 }),
  requested: fc.nat(2_500),
  total: fc.nat(2_500),
  priorityDomains: fc.subarray(domains),
  requestedSupport: fc.subarray(supportAreas),
  milestones: fc.nat(2),
  submissionVersion: fc.integer({ min: 1, max: 3 }),
  submittedDay: fc.integer({ min: -30, max: 220 }),
});
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Drawn = ValueOf<typeof applicationArb>;

function applicationOf(a: Drawn): SubmittedApplication {
  const summary = 'Summarised.';
  return {
    id: 'app-1',
    callId: a.callId,
    pilotType: a.pilotType,
    region: a.region,
    partners: a.partners,
    title: 'A pilot',
    s3Strategy: {
      contextAnalysis: summary,
      governance: summary,
      sharedVision: summary,
      priorities: summary,
      policyMix: summary,
      monitoring: summary,
    },
    priorityDomains: a.priorityDomains,
    requestedSupport: a.requestedSupport,
    supportDescription: 'Help.',
    budget: { total: a.total, requested: a.requested },
    workPlan: Array.from({ length: a.milestones }, (_, i) => ({
      title: `Milestone ${i}`,
      dueDate: '2027-01-31',
      deliverables: ['A report'],
    })),
  };
}

const receiptOf = (a: Drawn): SubmissionReceipt => ({
  applicationId: 'app-1',
  submissionVersion: a.submissionVersion,
  contentHash: '0'.repeat(64),
  submittedAt: new Date(opensAt + a.submittedDay * day).toISOString(),
});

function factsOf(world: ValueOf<typeof worldArb>): RegionFacts {
  const index = (code: string) => regionCodes.indexOf(code);
  return {
    country: (code) => world.countryOf[index(code)]!,
    category: (code) => world.categoryOf[index(code)],
  };
}

const sameDomain = (a: PriorityDomain, b: PriorityDomain) => JSON.stringify(a) === JSON.stringify(b);

/** The rules broken, one entry per reason given, as the rules are worded. */
function referenceRules(
  app: SubmittedApplication,
  receipt: SubmissionReceipt,
  call: EligibilityCall,
  regions: RegionFacts,
) {
  const rules: string[] = [];
  const e = call.eligibility;
  if (app.callId !== call.id) rules.push('call');
  if (app.pilotType !== call.pilotType) rules.push('pilot-type');
  const at = Date.parse(receipt.submittedAt);
  if (receipt.submissionVersion === 1 && (at < Date.parse(call.opensAt) || at > Date.parse(call.closesAt))) {
    rules.push('dates');
  }
  if (!e.countries.includes(regions.country(app.region))) rules.push('country');
  if (e.regionCategories) {
    for (const region of new Set([app.region, ...app.partners])) {
      const category = regions.category(region);
      if (category === undefined || !e.regionCategories.includes(category)) rules.push('region-category');
    }
  }
  if (app.partners.length < e.minPartners) rules.push('partners');
  if (app.partners.length > e.maxPartners) rules.push('partners');
  if (new Set([app.region, ...app.partners]).size !== app.partners.length + 1) rules.push('partners');
  if (new Set([app.region, ...app.partners].map(regions.country)).size < e.minCountries) {
    rules.push('partner-countries');
  }
  for (const partner of app.partners)
    if (!e.countries.includes(regions.country(partner))) rules.push('country');
  const { requested, total } = app.budget;
  if (requested <= 0) rules.push('budget-requested');
  if (requested > call.perApplicationCeiling) rules.push('budget-ceiling');
  if (requested > call.totalBudget) rules.push('budget-total');
  if (requested > total) rules.push('budget-total-cost');
  if (!app.priorityDomains.some((d) => call.prioritySectors.some((s) => sameDomain(d, s)))) {
    rules.push('priority-domains');
  }
  if (app.requestedSupport.length === 0) rules.push('requested-support');
  if (app.workPlan.length === 0) rules.push('work-plan');
  return rules.sort();
}

const rulesOf = (reasons: { rule: string }[]) => reasons.map((r) => r.rule).sort();

describe('eligibility properties', () => {
  it('gives exactly the reasons the reference finds, rule by rule and as many of each', () => {
    fc.assert(
      fc.property(worldArb, callArb, applicationArb, (world, call, drawn) => {
        const regions = factsOf(world);
        const app = applicationOf(drawn);
        const receipt = receiptOf(drawn);
        expect(rulesOf(eligibilityReasons(app, receipt, call, regions))).toEqual(
          referenceRules(app, receipt, call, regions),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('says every reason in words', () => {
    fc.assert(
      fc.property(worldArb, callArb, applicationArb, (world, call, drawn) =>
        eligibilityReasons(applicationOf(drawn), receiptOf(drawn), call, factsOf(world)).every(
          (r) => r.rule.length > 0 && r.message.trim().length > 0,
        ),
      ),
    );
  });

  it('finds no reason in an application made to meet every rule of the call', () => {
    fc.assert(
      fc.property(worldArb, callArb, fc.nat(), (world, call, pick) => {
        const e = call.eligibility;
        // A world where every region is of an admitted state and category.
        const admitted = {
          countryOf: world.countryOf.map((_, i) => e.countries[(pick + i) % e.countries.length]!),
          categoryOf: world.categoryOf.map(() => e.regionCategories?.[0] ?? 'transition'),
        };
        const regions = factsOf(admitted);
        const lead = regionCodes[0]!;
        const partnerCount = Math.min(e.maxPartners, Math.max(e.minPartners, e.minCountries - 1));
        const partners = regionCodes.slice(1, 1 + partnerCount);
        fc.pre(partners.length >= e.minPartners);
        fc.pre(new Set([lead, ...partners].map(regions.country)).size >= e.minCountries);
        const drawn: Drawn = {
          callId: call.id,
          pilotType: call.pilotType,
          region: lead,
          partners,
          requested: call.perApplicationCeiling,
          total: call.perApplicationCeiling,
          priorityDomains: call.prioritySectors,
          requestedSupport: ['skills'],
          milestones: 1,
          submissionVersion: 1,
          submittedDay: 10,
        };
        expect(eligibilityReasons(applicationOf(drawn), receiptOf(drawn), call, regions)).toEqual([]);
      }),
    );
  });

  it('does not depend on the order the partners are listed in', () => {
    fc.assert(
      fc.property(worldArb, callArb, applicationArb, (world, call, drawn) => {
        const regions = factsOf(world);
        const receipt = receiptOf(drawn);
        const forward = eligibilityReasons(applicationOf(drawn), receipt, call, regions);
        const reversed = eligibilityReasons(
          applicationOf({ ...drawn, partners: [...drawn.partners].reverse() }),
          receipt,
          call,
          regions,
        );
        expect(rulesOf(reversed)).toEqual(rulesOf(forward));
      }),
    );
  });

  it('never drops a budget reason when more is requested', () => {
    fc.assert(
      fc.property(
        worldArb,
        callArb,
        applicationArb,
        fc.integer({ min: 1, max: 1_000 }),
        (world, call, drawn, more) => {
          const regions = factsOf(world);
          const receipt = receiptOf(drawn);
          const budgetRules = (requested: number) =>
            rulesOf(
              eligibilityReasons(applicationOf({ ...drawn, requested }), receipt, call, regions),
            ).filter((rule) => rule !== 'budget-requested' && rule.startsWith('budget'));
          const before = budgetRules(drawn.requested);
          const after = budgetRules(drawn.requested + more);
          expect(before.every((rule) => after.includes(rule))).toBe(true);
        },
      ),
    );
  });
});
