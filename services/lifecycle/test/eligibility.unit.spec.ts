import type { NutsCode, RegionCategory, SubmissionReceipt, SubmittedApplication } from '@s3p/contracts';
import { countryOfRegion } from '@s3p/contracts';
import type { EligibilityCall, RegionFacts } from '../src/domain/eligibility';
import { eligibilityReasons } from '../src/domain/eligibility';

/**
 * Categories injected for the tests (the platform's reference data has none yet). FR10 is left
 * out on purpose: a region the reference data knows nothing about.
 */
const categories: Record<string, RegionCategory> = {
  BG41: 'less-developed',
  BG42: 'less-developed',
  EL30: 'transition',
  ES11: 'transition',
  PL91: 'more-developed',
  ITC4: 'more-developed',
  SE33: 'more-developed',
  DE11: 'more-developed',
};

const regions: RegionFacts = {
  country: (code) => countryOfRegion(code),
  category: (code) => categories[code],
};

function callOf(overrides: Partial<EligibilityCall> = {}): EligibilityCall {
  return {
    id: 'call-2025-ip',
    pilotType: 'interregional-partnership',
    eligibility: {
      countries: ['BG', 'GR', 'PL', 'ES', 'IT', 'DE'],
      minPartners: 1,
      maxPartners: 3,
      minCountries: 2,
    },
    prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
    criteria: [
      { id: 'relevance', name: 'Relevance', weight: 60, maxScore: 5 },
      { id: 'quality', name: 'Quality', weight: 40, maxScore: 5 },
    ],
    perApplicationCeiling: 300_000_00,
    totalBudget: 1_000_000_00,
    opensAt: '2025-01-01T00:00:00.000Z',
    closesAt: '2025-06-30T23:59:59.000Z',
    ...overrides,
  };
}

function eligibilityOf(overrides: Partial<EligibilityCall['eligibility']>): Partial<EligibilityCall> {
  return { eligibility: { ...callOf().eligibility, ...overrides } };
}

function applicationOf(overrides: Partial<SubmittedApplication> = {}): SubmittedApplication {
  return {
    id: 'app-1',
    callId: 'call-2025-ip',
    pilotType: 'interregional-partnership',
    region: 'BG41',
    partners: ['EL30'],
    title: 'Circular manufacturing along the Struma corridor',
    s3Strategy: {
      contextAnalysis: 'Manufacturing employs a third of the workforce.',
      governance: 'A regional innovation council.',
      sharedVision: 'A low-carbon manufacturing region by 2030.',
      priorities: 'Advanced manufacturing and the circular economy.',
      policyMix: 'Vouchers, skills academies and an investment fund.',
      monitoring: 'Yearly indicators reviewed by the council.',
    },
    priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
    requestedSupport: ['interregional-value-chains'],
    supportDescription: 'Help to build a shared value chain for recycled materials.',
    budget: { total: 400_000_00, requested: 250_000_00 },
    workPlan: [{ title: 'Value-chain mapping', dueDate: '2025-12-31', deliverables: ['A map of the chain'] }],
    ...overrides,
  };
}

function receiptOf(overrides: Partial<SubmissionReceipt> = {}): SubmissionReceipt {
  return {
    applicationId: 'app-1',
    submissionVersion: 1,
    contentHash: 'a'.repeat(64),
    submittedAt: '2025-03-01T10:00:00.000Z',
    ...overrides,
  };
}

interface Case {
  application?: Partial<SubmittedApplication>;
  receipt?: Partial<SubmissionReceipt>;
  call?: Partial<EligibilityCall>;
  facts?: RegionFacts;
}

const reasonsOf = ({ application, receipt, call, facts }: Case = {}) =>
  eligibilityReasons(applicationOf(application), receiptOf(receipt), callOf(call), facts ?? regions);

const rulesOf = (c: Case = {}) => reasonsOf(c).map((r) => r.rule);

describe('eligibilityReasons', () => {
  describe('an eligible application', () => {
    it('gives no reason', () => {
      expect(reasonsOf()).toEqual([]);
    });

    it('gives no reason when every region is of an admitted category', () => {
      expect(
        reasonsOf({
          application: { region: 'EL30', partners: ['ES11'] },
          call: eligibilityOf({ regionCategories: ['transition'] }),
        }),
      ).toEqual([]);
    });

    it('gives no reason for an industrial-transition pilot of one region alone', () => {
      expect(
        reasonsOf({
          application: { pilotType: 'industrial-transition', region: 'PL91', partners: [] },
          call: {
            pilotType: 'industrial-transition',
            ...eligibilityOf({ minPartners: 0, maxPartners: 0, minCountries: 1 }),
          },
        }),
      ).toEqual([]);
    });

    it('does not change the application, the receipt or the call', () => {
      const application = applicationOf({ partners: ['EL30', 'EL30'] });
      const receipt = receiptOf();
      const call = callOf(eligibilityOf({ regionCategories: ['transition'] }));
      const before = JSON.stringify([application, receipt, call]);
      eligibilityReasons(application, receipt, call, regions);
      expect(JSON.stringify([application, receipt, call])).toBe(before);
    });
  });

  describe('call', () => {
    it('is broken when the application answers another call', () => {
      expect(reasonsOf({ application: { callId: 'call-2024-it' } })).toEqual([
        { rule: 'call', message: 'the application answers call call-2024-it, not call-2025-ip' },
      ]);
    });
  });

  describe('pilot type', () => {
    it('is broken when the application is for another type of pilot', () => {
      expect(reasonsOf({ application: { pilotType: 'industrial-transition' } })).toEqual([
        {
          rule: 'pilot-type',
          message: 'the call is for interregional-partnership pilots, not industrial-transition',
        },
      ]);
    });
  });

  describe('dates', () => {
    it('refuses a first submission before the call opened', () => {
      expect(reasonsOf({ receipt: { submittedAt: '2024-12-31T23:59:59.999Z' } })).toEqual([
        {
          rule: 'dates',
          message:
            'submitted at 2024-12-31T23:59:59.999Z, before the call opened at 2025-01-01T00:00:00.000Z',
        },
      ]);
    });

    it('refuses a first submission after the call closed', () => {
      expect(reasonsOf({ receipt: { submittedAt: '2025-07-01T00:00:00.000Z' } })).toEqual([
        {
          rule: 'dates',
          message: 'submitted at 2025-07-01T00:00:00.000Z, after the call closed at 2025-06-30T23:59:59.000Z',
        },
      ]);
    });

    it('refuses a first submission one millisecond after the closing time', () => {
      expect(rulesOf({ receipt: { submittedAt: '2025-06-30T23:59:59.001Z' } })).toEqual(['dates']);
    });

    it('accepts a first submission at the very moment the call opens', () => {
      expect(reasonsOf({ receipt: { submittedAt: '2025-01-01T00:00:00.000Z' } })).toEqual([]);
    });

    it('accepts a first submission at the very moment the call closes', () => {
      expect(reasonsOf({ receipt: { submittedAt: '2025-06-30T23:59:59.000Z' } })).toEqual([]);
    });

    it('compares instants, not the written time: an offset is taken into account', () => {
      // 01:30 in Sofia (UTC+3 in summer) on 1 July is 22:30 UTC on 30 June: in time.
      expect(reasonsOf({ receipt: { submittedAt: '2025-07-01T01:30:00+03:00' } })).toEqual([]);
      // 00:30 UTC on 1 July written in UTC-1 is still late.
      expect(rulesOf({ receipt: { submittedAt: '2025-06-30T23:30:00-01:00' } })).toEqual(['dates']);
    });

    it('does not apply to a resubmission after the call closed', () => {
      expect(
        reasonsOf({ receipt: { submissionVersion: 2, submittedAt: '2025-09-15T12:00:00.000Z' } }),
      ).toEqual([]);
    });

    it('does not apply to any later version either', () => {
      expect(
        reasonsOf({ receipt: { submissionVersion: 3, submittedAt: '2024-06-01T12:00:00.000Z' } }),
      ).toEqual([]);
    });
  });

  describe('country of the lead region', () => {
    it('is broken when the lead region is of a member state the call does not admit', () => {
      expect(
        reasonsOf({
          application: { region: 'SE33', partners: ['EL30'] },
        }),
      ).toEqual([
        {
          rule: 'country',
          message: 'regions of SE may not apply to this call (only BG, GR, PL, ES, IT, DE)',
        },
      ]);
    });

    it('reads Greece as GR, though its NUTS codes begin with EL', () => {
      expect(
        reasonsOf({
          application: { region: 'EL30', partners: ['BG41'] },
          call: eligibilityOf({ countries: ['GR', 'BG'] }),
        }),
      ).toEqual([]);
    });

    it('takes the country from the injected facts, not from the code', () => {
      const facts: RegionFacts = {
        ...regions,
        country: (code) => (code === 'BG41' ? 'SE' : countryOfRegion(code)),
      };
      expect(rulesOf({ facts })).toEqual(['country']);
    });
  });

  describe('region categories', () => {
    it('are not checked when the call admits every category, even of a region the data does not know', () => {
      const category = jest.fn<RegionCategory | undefined, [NutsCode]>(() => undefined);
      expect(
        reasonsOf({
          application: { partners: ['FR10'] },
          call: eligibilityOf({ countries: ['BG', 'FR'] }),
          facts: { ...regions, category },
        }),
      ).toEqual([]);
      expect(category).not.toHaveBeenCalled();
    });

    it('are checked for the lead and every partner', () => {
      const category = jest.fn((code: NutsCode) => categories[code]);
      reasonsOf({
        application: { region: 'BG41', partners: ['EL30', 'ES11'] },
        call: eligibilityOf({ regionCategories: ['less-developed', 'transition'] }),
        facts: { ...regions, category },
      });
      expect(category.mock.calls.map(([code]) => code)).toEqual(['BG41', 'EL30', 'ES11']);
    });

    it('break for a lead region of a category the call does not admit', () => {
      expect(
        reasonsOf({
          application: { region: 'PL91', partners: ['EL30'] },
          call: eligibilityOf({ regionCategories: ['less-developed', 'transition'] }),
        }),
      ).toEqual([
        {
          rule: 'region-category',
          message: 'PL91 is a more-developed region; the call admits less-developed, transition regions',
        },
      ]);
    });

    it('break for a partner region of a category the call does not admit', () => {
      expect(
        reasonsOf({
          application: { region: 'EL30', partners: ['ES11', 'DE11'] },
          call: eligibilityOf({ regionCategories: ['transition'] }),
        }),
      ).toEqual([
        {
          rule: 'region-category',
          message: 'DE11 is a more-developed region; the call admits transition regions',
        },
      ]);
    });

    it('give one reason per region out of the admitted categories', () => {
      const reasons = reasonsOf({
        application: { region: 'ITC4', partners: ['DE11', 'EL30'] },
        call: eligibilityOf({ regionCategories: ['transition'] }),
      });
      expect(reasons.map((r) => r.message)).toEqual([
        'ITC4 is a more-developed region; the call admits transition regions',
        'DE11 is a more-developed region; the call admits transition regions',
      ]);
    });

    it('break when the reference data gives no category for a region: a rule not checked is not met', () => {
      expect(
        reasonsOf({
          application: { region: 'BG41', partners: ['FR10'] },
          call: eligibilityOf({
            countries: ['BG', 'FR'],
            regionCategories: ['less-developed', 'transition'],
          }),
        }),
      ).toEqual([
        {
          rule: 'region-category',
          message:
            "the platform's reference data gives no cohesion-policy category for FR10, so the call's restriction to less-developed, transition regions cannot be confirmed",
        },
      ]);
    });

    it('break for a lead region of unknown category too, whatever category the call admits', () => {
      const reasons = reasonsOf({
        application: { region: 'BG41', partners: ['EL30'] },
        call: eligibilityOf({ regionCategories: ['less-developed', 'transition', 'more-developed'] }),
        facts: { ...regions, category: () => undefined },
      });
      expect(reasons.map((r) => r.rule)).toEqual(['region-category', 'region-category']);
      expect(reasons[0]!.message).toContain('no cohesion-policy category for BG41');
      expect(reasons[1]!.message).toContain('no cohesion-policy category for EL30');
    });
  });

  describe('partners', () => {
    it('are too few below the call minimum', () => {
      expect(
        reasonsOf({
          application: { partners: ['BG42'] },
          call: eligibilityOf({ minPartners: 2, minCountries: 1 }),
        }),
      ).toEqual([{ rule: 'partners', message: '1 partner regions, the call needs at least 2' }]);
    });

    it('are enough at exactly the minimum', () => {
      expect(
        reasonsOf({ application: { partners: ['EL30', 'ES11'] }, call: eligibilityOf({ minPartners: 2 }) }),
      ).toEqual([]);
    });

    it('are missing altogether when the call needs one', () => {
      expect(reasonsOf({ application: { partners: [] }, call: eligibilityOf({ minCountries: 1 }) })).toEqual([
        { rule: 'partners', message: '0 partner regions, the call needs at least 1' },
      ]);
    });

    it('are too many above the call maximum', () => {
      expect(reasonsOf({ application: { partners: ['EL30', 'ES11', 'PL91', 'ITC4'] } })).toEqual([
        { rule: 'partners', message: '4 partner regions, the call admits at most 3' },
      ]);
    });

    it('are admitted at exactly the maximum', () => {
      expect(reasonsOf({ application: { partners: ['EL30', 'ES11', 'PL91'] } })).toEqual([]);
    });

    it('may not name a region twice', () => {
      expect(reasonsOf({ application: { partners: ['EL30', 'ES11', 'EL30'] } })).toEqual([
        { rule: 'partners', message: 'a partner region is named twice, or is the lead region itself' },
      ]);
    });

    it('may not include the lead region itself', () => {
      expect(reasonsOf({ application: { partners: ['EL30', 'BG41'] } })).toEqual([
        { rule: 'partners', message: 'a partner region is named twice, or is the lead region itself' },
      ]);
    });

    it('give a single reason when a partner is both the lead and named twice', () => {
      const reasons = reasonsOf({ application: { partners: ['BG41', 'EL30', 'BG41'] } });
      expect(reasons).toEqual([
        { rule: 'partners', message: 'a partner region is named twice, or is the lead region itself' },
      ]);
    });

    it('are admitted from two regions of one member state', () => {
      expect(reasonsOf({ application: { partners: ['EL30', 'BG42'] } })).toEqual([]);
    });
  });

  describe('member states spanned', () => {
    it('are too few when lead and partners are of one member state', () => {
      expect(reasonsOf({ application: { partners: ['BG42'] } })).toEqual([
        { rule: 'partner-countries', message: 'the partnership spans 1 member states, the call needs 2' },
      ]);
    });

    it('count the lead and each member state once', () => {
      expect(
        reasonsOf({
          application: { partners: ['BG42', 'EL30'] },
          call: eligibilityOf({ minCountries: 3 }),
        }),
      ).toEqual([
        { rule: 'partner-countries', message: 'the partnership spans 2 member states, the call needs 3' },
      ]);
    });

    it('are enough at exactly the minimum', () => {
      expect(
        reasonsOf({
          application: { partners: ['EL30', 'ES11'] },
          call: eligibilityOf({ minCountries: 3 }),
        }),
      ).toEqual([]);
    });

    it('are counted from the injected facts', () => {
      const facts: RegionFacts = { ...regions, country: () => 'BG' };
      expect(rulesOf({ facts })).toEqual(['partner-countries']);
    });
  });

  describe('partner countries', () => {
    it('are broken for a partner of a member state the call does not admit', () => {
      expect(reasonsOf({ application: { partners: ['EL30', 'SE33'] } })).toEqual([
        { rule: 'country', message: 'partner SE33: regions of SE may not take part in this call' },
      ]);
    });

    it('give one reason per partner not admitted', () => {
      const reasons = reasonsOf({
        application: { partners: ['SE33', 'EL30'] },
        call: eligibilityOf({ countries: ['BG', 'DE'] }),
      });
      expect(reasons).toEqual([
        { rule: 'country', message: 'partner SE33: regions of SE may not take part in this call' },
        { rule: 'country', message: 'partner EL30: regions of GR may not take part in this call' },
      ]);
    });
  });

  describe('budget', () => {
    it('must request some funding', () => {
      expect(reasonsOf({ application: { budget: { total: 100_000_00, requested: 0 } } })).toEqual([
        { rule: 'budget-requested', message: 'the application requests no funding' },
      ]);
    });

    it('may request a single cent', () => {
      expect(reasonsOf({ application: { budget: { total: 100_000_00, requested: 1 } } })).toEqual([]);
    });

    it('may request exactly the ceiling', () => {
      expect(reasonsOf({ application: { budget: { total: 300_000_00, requested: 300_000_00 } } })).toEqual(
        [],
      );
    });

    it('may not request one cent above the ceiling', () => {
      expect(reasonsOf({ application: { budget: { total: 400_000_00, requested: 300_000_01 } } })).toEqual([
        { rule: 'budget-ceiling', message: '30000001 cents requested, above the ceiling of 30000000' },
      ]);
    });

    it("may not request more than the call's whole budget", () => {
      expect(
        reasonsOf({
          application: { budget: { total: 2_000_000_00, requested: 1_000_000_01 } },
          call: { perApplicationCeiling: 2_000_000_00 },
        }),
      ).toEqual([
        { rule: 'budget-total', message: "100000001 cents requested, above the call's budget of 100000000" },
      ]);
    });

    it("may request exactly the call's whole budget", () => {
      expect(
        reasonsOf({
          application: { budget: { total: 1_000_000_00, requested: 1_000_000_00 } },
          call: { perApplicationCeiling: 1_000_000_00 },
        }),
      ).toEqual([]);
    });

    it('give both reasons when the request exceeds the ceiling and the call budget', () => {
      expect(rulesOf({ application: { budget: { total: 5_000_000_00, requested: 5_000_000_00 } } })).toEqual([
        'budget-ceiling',
        'budget-total',
      ]);
    });

    it("may not request more than the pilot's total cost", () => {
      expect(reasonsOf({ application: { budget: { total: 100_000_00, requested: 100_000_01 } } })).toEqual([
        {
          rule: 'budget-total-cost',
          message: "10000001 cents requested, above the pilot's total cost of 10000000",
        },
      ]);
    });

    it("may request the pilot's whole cost", () => {
      expect(reasonsOf({ application: { budget: { total: 100_000_00, requested: 100_000_00 } } })).toEqual(
        [],
      );
    });
  });

  describe('completeness', () => {
    it('needs a priority domain', () => {
      expect(reasonsOf({ application: { priorityDomains: [] } })).toEqual([
        { rule: 'priority-domains', message: 'the application names no priority domain' },
      ]);
    });

    it("needs a priority domain among the call's priority sectors", () => {
      expect(
        reasonsOf({ application: { priorityDomains: [{ kind: 'scientific', nabsChapter: '07' }] } }),
      ).toEqual([
        {
          rule: 'priority-domains',
          message: expect.stringContaining(
            "none of the application's priority domains is among the call's priority sectors",
          ),
        },
      ]);
    });

    it('takes a domain within a sector, and one matching domain among others', () => {
      const division = { kind: 'economic', naceSection: 'C', naceDivision: '29' } as const;
      const other = { kind: 'economic', naceSection: 'J' } as const;
      expect(reasonsOf({ application: { priorityDomains: [division] } })).toEqual([]);
      expect(reasonsOf({ application: { priorityDomains: [other, division] } })).toEqual([]);
      expect(rulesOf({ application: { priorityDomains: [other] } })).toEqual(['priority-domains']);
    });

    it('needs requested support', () => {
      expect(reasonsOf({ application: { requestedSupport: [] } })).toEqual([
        { rule: 'requested-support', message: 'the application requests no support' },
      ]);
    });

    it('needs a milestone in the work plan', () => {
      expect(reasonsOf({ application: { workPlan: [] } })).toEqual([
        { rule: 'work-plan', message: 'the work plan has no milestone' },
      ]);
    });

    it('gives all three reasons when all three are empty', () => {
      expect(rulesOf({ application: { priorityDomains: [], requestedSupport: [], workPlan: [] } })).toEqual([
        'priority-domains',
        'requested-support',
        'work-plan',
      ]);
    });
  });

  describe('several broken rules', () => {
    it('give every reason, in the order of the rules', () => {
      const reasons = reasonsOf({
        application: {
          callId: 'call-other',
          pilotType: 'industrial-transition',
          region: 'SE33',
          partners: ['SE33', 'FR10', 'EL30', 'ES11'],
          budget: { total: 100_000_00, requested: 1_500_000_00 },
          priorityDomains: [],
          requestedSupport: [],
          workPlan: [],
        },
        receipt: { submittedAt: '2025-08-01T00:00:00.000Z' },
        call: eligibilityOf({ regionCategories: ['transition'], minCountries: 5 }),
      });
      expect(reasons.map((r) => r.rule)).toEqual([
        'call',
        'pilot-type',
        'dates',
        'country',
        'region-category', // SE33, lead and partner: said once
        'region-category', // FR10, unknown
        'partners', // 4 above 3
        'partners', // the lead as partner
        'partner-countries', // SE, FR, GR, ES: 4 of 5
        'country', // partner SE33
        'country', // partner FR10
        'budget-ceiling',
        'budget-total',
        'budget-total-cost',
        'priority-domains',
        'requested-support',
        'work-plan',
      ]);
      expect(reasons.every((r) => r.message.length > 0)).toBe(true);
    });

    it('give two reasons for two independent problems', () => {
      expect(
        rulesOf({ application: { workPlan: [], budget: { total: 400_000_00, requested: 350_000_00 } } }),
      ).toEqual(['budget-ceiling', 'work-plan']);
    });
  });
});
