import type { ApplicationStatus, CallSnapshot } from '@s3p/contracts';
import { applicationStatus, submittedApplication } from '@s3p/contracts';
import type { DraftApplication, PartnerState } from '../src/domain/application-rules';
import {
  actionRefusal,
  checkSubmission,
  confirmPartner,
  isResubmission,
  leadProblems,
  mayDo,
  partnerProblems,
  refusalOf,
  replacePartners,
  revisionClosed,
  statusesAllowing,
} from '../src/domain/application-rules';
import type { CallProjection } from '../src/domain/call-projection';
import { submissionWindow } from '../src/domain/call-projection';
import type { StageChange, StageState } from '../src/domain/lifecycle-stage';
import { applyStageChange, isNewerStage } from '../src/domain/lifecycle-stage';
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

describe('what may happen in which status', () => {
  it('a draft, or an application sent back for revision, changes, is confirmed or submitted', () => {
    for (const action of ['edit', 'confirm-partner', 'submit'] as const) {
      expect(statusesAllowing(action)).toEqual(['draft', 'revision']);
    }
  });

  it.each(
    applicationStatus.options
      .filter((s) => s !== 'draft' && s !== 'revision')
      .map((status) => [status] as [ApplicationStatus]),
  )('%s: no change, no submission, no confirmation', (status) => {
    for (const action of ['edit', 'confirm-partner', 'submit'] as const) {
      expect(mayDo(status, action)).toBe(false);
    }
  });

  it.each([['draft'], ['submitted'], ['eligibility'], ['evaluation'], ['decision'], ['revision']] as const)(
    'withdrawal: allowed from %s (before the decision is taken)',
    (status) => {
      expect(mayDo(status, 'withdraw')).toBe(true);
    },
  );

  it.each([
    ['ineligible', 'an ineligible application cannot be withdrawn'],
    ['rejected', 'a rejected application cannot be withdrawn'],
    ['lapsed', 'a lapsed application cannot be withdrawn'],
    ['approved', 'an approved application cannot be withdrawn'],
    ['implementation', 'an application in implementation cannot be withdrawn'],
    ['closed', 'a closed application cannot be withdrawn'],
    ['withdrawn', 'a withdrawn application cannot be withdrawn'],
  ] as const)('withdrawal: refused once %s, saying so', (status, refusal) => {
    expect(mayDo(status, 'withdraw')).toBe(false);
    expect(refusalOf(status, 'withdraw')).toBe(refusal);
  });

  it('the allowed withdrawals are exactly those', () => {
    expect(statusesAllowing('withdraw')).toEqual([
      'draft',
      'submitted',
      'eligibility',
      'evaluation',
      'decision',
      'revision',
    ]);
  });

  it('says why not, naming the status', () => {
    expect(refusalOf('submitted', 'edit')).toBe('a submitted application cannot be edited');
    expect(refusalOf('withdrawn', 'withdraw')).toBe('a withdrawn application cannot be withdrawn');
    expect(refusalOf('decision', 'submit')).toBe('an application awaiting its decision cannot be submitted');
    for (const status of applicationStatus.options) {
      expect(refusalOf(status, 'edit')).toContain(status);
    }
  });
});

describe('a resubmission after a request for revision', () => {
  const now = new Date('2027-05-01T12:00:00.000Z');
  const revision = (dueAt?: string) => ({
    status: 'revision' as const,
    stage: dueAt === undefined ? {} : { dueAt },
  });

  it('is a resubmission only from revision; from a draft it is the first submission', () => {
    expect(isResubmission('revision')).toBe(true);
    expect(isResubmission('draft')).toBe(false);
  });

  it('may be changed, confirmed and submitted until the revision is due', () => {
    for (const action of ['edit', 'confirm-partner', 'submit'] as const) {
      expect(revisionClosed(revision('2027-05-01T12:00:00.001Z'), action, now)).toBeUndefined();
      expect(revisionClosed(revision(), action, now)).toBeUndefined();
    }
  });

  it('is refused at and after the due date, saying when it was due', () => {
    for (const dueAt of ['2027-05-01T12:00:00.000Z', '2027-04-30T00:00:00.000Z']) {
      for (const action of ['edit', 'confirm-partner', 'submit'] as const) {
        expect(revisionClosed(revision(dueAt), action, now)).toBe(
          `the revision was due at ${dueAt}; the application can no longer be changed or resubmitted`,
        );
      }
    }
  });

  it('has no due date for a withdrawal, nor outside revision', () => {
    expect(revisionClosed(revision('2027-04-30T00:00:00.000Z'), 'withdraw', now)).toBeUndefined();
    expect(
      revisionClosed({ status: 'draft', stage: { dueAt: '2027-04-30T00:00:00.000Z' } }, 'submit', now),
    ).toBeUndefined();
  });

  it("is checked against the call's rules whether the call is open or closed", () => {
    const call = callSnapshot('industrial-transition', { closesAt: '2027-03-01T12:00:00.000Z' });
    const closed: CallProjection = { callId: call.id, snapshot: call, snapshotAt: 'x', status: 'closed' };
    expect(submissionWindow(closed, now, true)).toEqual({ open: true, call });
    expect(submissionWindow(closed, now, false)).toEqual({
      open: false,
      reason: 'not-open',
      detail: 'the call is closed, not open',
    });
    expect(submissionWindow({ ...closed, status: 'open' }, now, false)).toMatchObject({
      open: false,
      reason: 'deadline',
    });
    expect(submissionWindow(undefined, now, true)).toMatchObject({ open: false, reason: 'unknown' });
  });
});

describe('an action refused, and how', () => {
  const now = new Date('2027-05-01T12:00:00.000Z');

  it('409 in a status that does not allow it, naming the status', () => {
    expect(actionRefusal({ status: 'approved' }, 'withdraw', now)).toEqual({
      status: 409,
      detail: 'an approved application cannot be withdrawn',
    });
    expect(actionRefusal({ status: 'evaluation' }, 'edit', now)).toEqual({
      status: 409,
      detail: 'an application under evaluation cannot be edited',
    });
  });

  it('409 for a withdrawal once approved with conditions, though that shows as decision', () => {
    expect(
      actionRefusal({ status: 'decision', stage: { name: 'decision' } }, 'withdraw', now),
    ).toBeUndefined();
    expect(actionRefusal({ status: 'decision', stage: { name: 'conditions' } }, 'withdraw', now)).toEqual({
      status: 409,
      detail: 'an application approved with conditions (status decision) cannot be withdrawn',
    });
  });

  it('422 for a change or resubmission after the revision was due; a withdrawal is still taken', () => {
    const late = {
      status: 'revision' as const,
      stage: { name: 'revision', dueAt: '2027-05-01T00:00:00.000Z' },
    };
    expect(actionRefusal(late, 'submit', now)).toMatchObject({ status: 422 });
    expect(actionRefusal(late, 'edit', now)).toMatchObject({ status: 422 });
    expect(actionRefusal(late, 'withdraw', now)).toBeUndefined();
    expect(
      actionRefusal({ ...late, stage: { dueAt: '2027-06-01T00:00:00.000Z' } }, 'submit', now),
    ).toBeUndefined();
  });

  it('nothing when allowed', () => {
    expect(actionRefusal({ status: 'draft' }, 'submit', now)).toBeUndefined();
    expect(actionRefusal({ status: 'submitted' }, 'withdraw', now)).toBeUndefined();
  });
});

describe("the status follows the lifecycle's stage changes", () => {
  const change = (
    sequence: number,
    to: StageChange['to'],
    extra: Partial<StageChange> = {},
  ): StageChange => ({
    sequence,
    to,
    reason: `to ${to}`,
    changedAt: '2027-04-01T00:00:00.000Z',
    ...extra,
  });
  const applied = (sequence: number, name: StageState['name'] = 'evaluation'): StageState => ({
    name,
    reason: 'r',
    sequence,
    changedAt: '2027-03-01T00:00:00.000Z',
  });

  it('applies the first change and every newer one', () => {
    expect(applyStageChange(undefined, change(1, 'submitted'))).toEqual({
      status: 'submitted',
      stage: {
        name: 'submitted',
        reason: 'to submitted',
        sequence: 1,
        changedAt: '2027-04-01T00:00:00.000Z',
      },
    });
    expect(applyStageChange(applied(3), change(4, 'decision'))?.status).toBe('decision');
    // Gaps are fine: a change may have been lost to the DLQ; the newest says where the pilot is.
    expect(applyStageChange(applied(3), change(7, 'expert-team'))?.status).toBe('approved');
  });

  it('ignores a repeated or older change: the status never moves back', () => {
    expect(applyStageChange(applied(3), change(3, 'evaluation'))).toBeUndefined();
    expect(applyStageChange(applied(3), change(2, 'eligibility'))).toBeUndefined();
    expect(isNewerStage(applied(3), 3)).toBe(false);
    expect(isNewerStage(applied(3), 4)).toBe(true);
    expect(isNewerStage(undefined, 1)).toBe(true);
  });

  it("keeps the stage's reason, the reasons rule by rule and the due date", () => {
    const reasons = [{ rule: 'country', message: 'SE is not eligible' }];
    expect(applyStageChange(applied(2), change(3, 'ineligible', { reasons }))).toEqual({
      status: 'ineligible',
      stage: expect.objectContaining({ name: 'ineligible', reasons, sequence: 3 }) as unknown,
    });
    const revision = applyStageChange(
      applied(4, 'decision'),
      change(5, 'revision', { reason: 'Lower the budget.', dueAt: '2027-05-01T00:00:00.000Z' }),
    );
    expect(revision).toEqual({
      status: 'revision',
      stage: {
        name: 'revision',
        reason: 'Lower the budget.',
        dueAt: '2027-05-01T00:00:00.000Z',
        sequence: 5,
        changedAt: '2027-04-01T00:00:00.000Z',
      },
    });
    // The next change replaces the stage whole: no stale due date survives it.
    expect(applyStageChange(revision?.stage, change(6, 'eligibility'))?.stage).not.toHaveProperty('dueAt');
  });

  it('maps stages onto statuses as the contract says', () => {
    expect(applyStageChange(undefined, change(1, 'consensus'))?.status).toBe('evaluation');
    expect(applyStageChange(undefined, change(1, 'conditions'))?.status).toBe('decision');
    expect(applyStageChange(undefined, change(1, 'final-report'))?.status).toBe('implementation');
  });

  it('after a resubmission (submitted locally, same stage sequence), the next change applies', () => {
    // The stage stays at the revision's sequence while the status is submitted locally.
    const inRevision = applied(5, 'revision');
    expect(applyStageChange(inRevision, change(5, 'revision'))).toBeUndefined();
    expect(applyStageChange(inRevision, change(6, 'eligibility'))?.status).toBe('eligibility');
  });
});
