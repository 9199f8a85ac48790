import type { CallSnapshot } from '@s3p/contracts';
import { submittedApplication } from '@s3p/contracts';
import type { DraftApplication, PartnerState } from '../src/domain/application-rules';
import {
  checkSubmission,
  confirmPartner,
  domainsOverlap,
  leadProblems,
  mayDo,
  partnerProblems,
  refusalOf,
  replacePartners,
  statusesAllowing,
} from '../src/domain/application-rules';
import { applicationDraft, callSnapshot } from './fixtures';

const closesAt = '2027-03-01T12:00:00.000Z';
const itCall = callSnapshot('industrial-transition', { id: 'call-it', closesAt });
const irCall = callSnapshot('interregional-partnership', { id: 'call-ir', closesAt });

function draft(call: CallSnapshot, overrides: Partial<DraftApplication> = {}): DraftApplication {
  const {
    callId,
    partners: _partners,
    ...content
  } = applicationDraft(call.id) as ReturnType<typeof applicationDraft> & {
    partners?: string[];
  };
  return {
    id: 'app-1',
    callId,
    pilotType: call.pilotType,
    region: 'BG41',
    ...(content as Omit<DraftApplication, 'id' | 'callId' | 'pilotType' | 'region' | 'partners'>),
    workPlan: [{ title: 'Academy', dueDate: '2027-06-30', deliverables: ['Plan'] }],
    partners: [],
    ...overrides,
  };
}

const confirmed = (region: string): PartnerState => ({ region, invitedAt: 'i', confirmedAt: 'c' });
const invited = (region: string): PartnerState => ({ region, invitedAt: 'i' });
const pathsOf = (app: DraftApplication, call: CallSnapshot) => {
  const check = checkSubmission(app, call);
  return check.ok ? [] : check.errors.map((e) => e.path);
};

describe('a submission is complete for its call', () => {
  it('when every rule holds: the frozen application is what the contract expects', () => {
    const check = checkSubmission(draft(itCall), itCall);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(submittedApplication.parse(check.application)).toEqual(check.application);
    expect(check.application).toMatchObject({ id: 'app-1', callId: 'call-it', region: 'BG41', partners: [] });
  });

  it('names every missing item at once', () => {
    const empty: DraftApplication = {
      id: 'a',
      callId: itCall.id,
      pilotType: itCall.pilotType,
      region: 'BG41',
      partners: [],
    };
    const check = checkSubmission(empty, itCall);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.errors.map((e) => e.path)).toEqual([
      'title',
      's3Strategy.contextAnalysis',
      's3Strategy.governance',
      's3Strategy.sharedVision',
      's3Strategy.priorities',
      's3Strategy.policyMix',
      's3Strategy.monitoring',
      'priorityDomains',
      'requestedSupport',
      'supportDescription',
      'budget',
      'workPlan',
    ]);
  });

  it('every S3 step summarised', () => {
    const app = draft(itCall);
    const s3Strategy = { ...app.s3Strategy, monitoring: undefined };
    expect(pathsOf({ ...app, s3Strategy }, itCall)).toEqual(['s3Strategy.monitoring']);
  });

  it("at least one priority domain within the call's sectors", () => {
    expect(pathsOf(draft(itCall, { priorityDomains: [] }), itCall)).toEqual(['priorityDomains']);
    const outside = draft(itCall, { priorityDomains: [{ kind: 'scientific', nabsChapter: '07' }] });
    const check = checkSubmission(outside, itCall);
    expect(check.ok ? [] : check.errors).toEqual([
      {
        path: 'priorityDomains',
        message: "at least one priority domain must be among the call's priority sectors",
      },
    ]);
    const mixed = draft(itCall, {
      priorityDomains: [
        { kind: 'scientific', nabsChapter: '07' },
        { kind: 'economic', naceSection: 'C' },
      ],
    });
    expect(pathsOf(mixed, itCall)).toEqual([]);
  });

  it('at least one area of support, and a description of it', () => {
    expect(pathsOf(draft(itCall, { requestedSupport: [], supportDescription: undefined }), itCall)).toEqual([
      'requestedSupport',
      'supportDescription',
    ]);
  });

  it.each([
    [{ total: 400_000_00, requested: 0 }, ['ask for an amount above zero']],
    [{ total: 100_000_00, requested: 200_000_00 }, ['cannot exceed the total cost']],
    [{ total: 400_000_00, requested: 250_000_01 }, ["cannot exceed the call's ceiling of 25000000 cents"]],
    [{ total: 400_000_00, requested: 250_000_00 }, []],
    [
      { total: 100_000_00, requested: 300_000_00 },
      ['cannot exceed the total cost', "cannot exceed the call's ceiling of 25000000 cents"],
    ],
  ])('a budget of %j: %j', (budget, messages) => {
    const check = checkSubmission(draft(itCall, { budget }), itCall);
    expect(check.ok ? [] : check.errors.map((e) => e.message)).toEqual(messages);
    if (!check.ok) expect(check.errors.every((e) => e.path === 'budget.requested')).toBe(true);
  });

  it('at least one milestone, each due after the day the call closes', () => {
    expect(pathsOf(draft(itCall, { workPlan: [] }), itCall)).toEqual(['workPlan']);
    const plan = [
      { title: 'Same day', dueDate: '2027-03-01', deliverables: ['x'] },
      { title: 'Next day', dueDate: '2027-03-02', deliverables: ['x'] },
      { title: 'Before', dueDate: '2026-12-31', deliverables: ['x'] },
    ];
    const check = checkSubmission(draft(itCall, { workPlan: plan }), itCall);
    expect(check.ok ? [] : check.errors).toEqual([
      { path: 'workPlan.0.dueDate', message: 'must fall after the call closes (2027-03-01)' },
      { path: 'workPlan.2.dueDate', message: 'must fall after the call closes (2027-03-01)' },
    ]);
  });

  it('a lead region of a member state the call admits', () => {
    const check = checkSubmission(draft(itCall, { region: 'SE33' }), itCall);
    expect(check.ok ? [] : check.errors).toEqual([
      { path: 'region', message: 'regions of SE are not eligible for this call' },
    ]);
  });

  it('no partners in an industrial-transition pilot', () => {
    expect(pathsOf(draft(itCall, { partners: [confirmed('EL30')] }), itCall)).toEqual(['partners']);
  });
});

describe('a partnership is complete', () => {
  const complete = () => draft(irCall, { partners: [confirmed('EL30'), confirmed('PL91')] });

  it('with enough confirmed partners from enough member states', () => {
    expect(checkSubmission(complete(), irCall)).toMatchObject({
      ok: true,
      application: { partners: ['EL30', 'PL91'], pilotType: 'interregional-partnership' },
    });
  });

  it('only when every partner has confirmed', () => {
    const check = checkSubmission(
      draft(irCall, { partners: [confirmed('EL30'), invited('PL91'), invited('ES11')] }),
      irCall,
    );
    expect(check.ok ? [] : check.errors).toEqual([
      { path: 'partners.1', message: 'PL91 has not confirmed the partnership' },
      { path: 'partners.2', message: 'ES11 has not confirmed the partnership' },
    ]);
  });

  it("within the call's number of partners", () => {
    const messages = (partners: PartnerState[]) => {
      const check = checkSubmission(draft(irCall, { partners }), irCall);
      return check.ok ? [] : check.errors.map((e) => e.message);
    };
    expect(messages([])).toEqual([
      'the call asks for at least 1 partner region(s)',
      'the partnership spans 1 member state(s); the call asks for 2',
    ]);
    expect(messages(['EL30', 'PL91', 'ES11', 'CZ01'].map(confirmed))).toEqual([
      'the call allows at most 3 partner region(s)',
      'regions of CZ are not eligible',
    ]);
  });

  it("spanning the member states the call asks for, the lead's counted", () => {
    const threeCountries = { ...irCall, eligibility: { ...irCall.eligibility, minCountries: 3 } };
    expect(checkSubmission(complete(), threeCountries).ok).toBe(true);
    const check = checkSubmission(draft(irCall, { partners: [confirmed('EL30')] }), threeCountries);
    expect(check.ok ? [] : check.errors).toEqual([
      { path: 'partners', message: 'the partnership spans 2 member state(s); the call asks for 3' },
    ]);
  });

  it('with partners of member states the call admits', () => {
    const check = checkSubmission(
      draft(irCall, { partners: [confirmed('EL30'), confirmed('SE33')] }),
      irCall,
    );
    expect(check.ok ? [] : check.errors).toEqual([
      { path: 'partners.1', message: 'regions of SE are not eligible' },
    ]);
  });
});

describe('partners', () => {
  it('are not the lead, not twice, and not in an industrial-transition pilot', () => {
    expect(partnerProblems('BG41', ['EL30', 'PL91'], 'interregional-partnership')).toEqual([]);
    expect(partnerProblems('BG41', ['EL30', 'BG41', 'EL30'], 'interregional-partnership')).toEqual([
      { path: 'partners.1', message: 'the lead region cannot be its own partner' },
      { path: 'partners.2', message: 'EL30 is listed twice' },
    ]);
    expect(partnerProblems('BG41', ['EL30'], 'industrial-transition')).toEqual([
      { path: 'partners', message: 'an industrial-transition pilot has no partner regions' },
    ]);
    expect(partnerProblems('BG41', [], 'industrial-transition')).toEqual([]);
  });

  it('changed by the lead: new ones invited, removed ones gone, kept ones keep their confirmation', () => {
    const change = replacePartners([confirmed('EL30'), invited('PL91')], ['ES11', 'EL30'], 'now');
    expect(change).toEqual({
      partners: [{ region: 'ES11', invitedAt: 'now' }, confirmed('EL30')],
      invited: ['ES11'],
      removed: ['PL91'],
    });
    expect(replacePartners([confirmed('EL30')], [], 'now')).toEqual({
      partners: [],
      invited: [],
      removed: ['EL30'],
    });
  });

  it('confirm for themselves once; a second confirmation changes nothing', () => {
    expect(confirmPartner([invited('EL30'), invited('PL91')], 'PL91', 'now')).toEqual({
      kind: 'confirmed',
      partners: [invited('EL30'), { region: 'PL91', invitedAt: 'i', confirmedAt: 'now' }],
    });
    expect(confirmPartner([confirmed('EL30')], 'EL30', 'now')).toEqual({ kind: 'already-confirmed' });
    expect(confirmPartner([invited('EL30')], 'ES11', 'now')).toEqual({ kind: 'not-a-partner' });
  });
});

describe('a lead region', () => {
  it('of a member state the call admits', () => {
    expect(leadProblems('BG41', itCall)).toEqual([]);
    expect(leadProblems('SE33', itCall)).toEqual([
      { path: 'region', message: 'regions of SE are not eligible for this call' },
    ]);
    expect(leadProblems('ZZ99', itCall)[0]?.path).toBe('region');
  });
});

describe('priority domains overlap', () => {
  it('by NACE section, a division narrowing within it', () => {
    expect(
      domainsOverlap(
        { kind: 'economic', naceSection: 'C', naceDivision: '29' },
        { kind: 'economic', naceSection: 'C' },
      ),
    ).toBe(true);
    expect(
      domainsOverlap(
        { kind: 'economic', naceSection: 'C' },
        { kind: 'economic', naceSection: 'C', naceDivision: '29' },
      ),
    ).toBe(true);
    expect(
      domainsOverlap(
        { kind: 'economic', naceSection: 'C', naceDivision: '29' },
        { kind: 'economic', naceSection: 'C', naceDivision: '30' },
      ),
    ).toBe(false);
    expect(
      domainsOverlap({ kind: 'economic', naceSection: 'C' }, { kind: 'economic', naceSection: 'J' }),
    ).toBe(false);
  });

  it('by NABS chapter, and never across kinds', () => {
    expect(
      domainsOverlap({ kind: 'scientific', nabsChapter: '07' }, { kind: 'scientific', nabsChapter: '07' }),
    ).toBe(true);
    expect(
      domainsOverlap({ kind: 'scientific', nabsChapter: '07' }, { kind: 'scientific', nabsChapter: '05' }),
    ).toBe(false);
    expect(
      domainsOverlap({ kind: 'scientific', nabsChapter: '06' }, { kind: 'economic', naceSection: 'C' }),
    ).toBe(false);
  });

  test('policy objectives overlap on the objective, and on the topic when both name one', () => {
    const kets = { kind: 'policy', objective: 'key-enabling-technologies' } as const;
    const photonics = { ...kets, topic: 'photonics' };
    expect(domainsOverlap(kets, photonics)).toBe(true);
    expect(domainsOverlap(photonics, { ...kets, topic: 'nanotechnology' })).toBe(false);
    expect(domainsOverlap(kets, { kind: 'policy', objective: 'blue-growth' })).toBe(false);
    expect(domainsOverlap(kets, { kind: 'economic', naceSection: 'C' })).toBe(false);
  });
});

describe('what may happen in which status', () => {
  it('only a draft changes, is confirmed or submitted', () => {
    for (const action of ['edit', 'confirm-partner', 'submit'] as const) {
      expect(statusesAllowing(action)).toEqual(['draft']);
    }
  });

  it('a draft or a submission may be withdrawn; withdrawn is final', () => {
    expect(statusesAllowing('withdraw')).toEqual(['draft', 'submitted']);
    for (const action of ['edit', 'confirm-partner', 'submit', 'withdraw'] as const) {
      expect(mayDo('withdrawn', action)).toBe(false);
    }
    expect(mayDo('evaluation', 'withdraw')).toBe(false);
  });

  it('says why not', () => {
    expect(refusalOf('submitted', 'edit')).toBe('a submitted application cannot be edited');
    expect(refusalOf('withdrawn', 'withdraw')).toBe('a withdrawn application cannot be withdrawn');
  });
});
