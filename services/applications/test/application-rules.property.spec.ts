import type { ApplicationStatus, CallSnapshot } from '@s3p/contracts';
import { applicationStatus, submittedApplication } from '@s3p/contracts';
import fc from 'fast-check';
import type { ApplicationAction, DraftApplication, PartnerState } from '../src/domain/application-rules';
import {
  actionRefusal,
  checkSubmission,
  confirmPartner,
  mayDo,
  partnerProblems,
  replacePartners,
} from '../src/domain/application-rules';
import { callSnapshot } from './fixtures';

const closesAt = '2027-03-01T12:00:00.000Z';
const itCall = callSnapshot('industrial-transition', { id: 'call-it', closesAt });
const irCall = callSnapshot('interregional-partnership', { id: 'call-ir', closesAt });

const statuses = applicationStatus.options;
const actions: ApplicationAction[] = ['edit', 'confirm-partner', 'submit', 'withdraw'];
const regions = ['BG41', 'BG42', 'EL30', 'PL91', 'ES11', 'PL92', 'ES30'];
const stageNames = ['submitted', 'eligibility', 'evaluation', 'decision', 'conditions', 'revision'] as const;

/** A complete application for the call, with work-plan dates after it closes and a budget within its rules. */
const completeDraftArb = (call: CallSnapshot) =>
  fc
    .record({
      total: fc.integer({ min: 1, max: 1_000_000_00 }),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
      milestones: fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 4 }),
      partners: fc.uniqueArray(fc.constantFrom('EL30', 'PL91', 'ES11'), {
        minLength: call.eligibility.minPartners,
        maxLength: call.eligibility.maxPartners,
      }),
    })
    .map(({ total, share, milestones, partners }): DraftApplication => {
      const cap = Math.min(total, call.perApplicationCeiling);
      const requested = Math.max(1, Math.floor(cap * share));
      const day = (after: number) =>
        new Date(Date.parse(closesAt) + after * 86_400_000).toISOString().slice(0, 10);
      return {
        id: 'app-1',
        callId: call.id,
        pilotType: call.pilotType,
        region: 'BG41',
        title: 'Smart manufacturing transition',
        s3Strategy: {
          contextAnalysis: 'Context.',
          governance: 'Governance.',
          sharedVision: 'Vision.',
          priorities: 'Priorities.',
          policyMix: 'Policy mix.',
          monitoring: 'Monitoring.',
        },
        priorityDomains: [{ kind: 'economic', naceSection: 'C', naceDivision: '29' }],
        requestedSupport: ['skills'],
        supportDescription: 'Experts for the skills academy.',
        budget: { total, requested },
        workPlan: milestones.map((after, i) => ({
          title: `Milestone ${i + 1}`,
          dueDate: day(after),
          deliverables: ['A report'],
        })),
        partners:
          call.pilotType === 'industrial-transition'
            ? []
            : partners.map((region) => ({ region, invitedAt: closesAt, confirmedAt: closesAt })),
      };
    });

const anyCompleteArb = fc.oneof(
  completeDraftArb(itCall).map((app) => ({ app, call: itCall })),
  completeDraftArb(irCall).map((app) => ({ app, call: irCall })),
);

/** One way to leave out something a submission needs, and the path the refusal must name. */
const omissions: { path: string; omit: (app: DraftApplication) => DraftApplication }[] = [
  { path: 'title', omit: ({ title: _, ...rest }) => rest },
  { path: 'supportDescription', omit: ({ supportDescription: _, ...rest }) => rest },
  { path: 'budget', omit: ({ budget: _, ...rest }) => rest },
  { path: 'priorityDomains', omit: (app) => ({ ...app, priorityDomains: [] }) },
  { path: 'requestedSupport', omit: (app) => ({ ...app, requestedSupport: [] }) },
  { path: 'workPlan', omit: (app) => ({ ...app, workPlan: [] }) },
  ...(
    ['contextAnalysis', 'governance', 'sharedVision', 'priorities', 'policyMix', 'monitoring'] as const
  ).map((step) => ({
    path: `s3Strategy.${step}`,
    omit: (app: DraftApplication) => ({ ...app, s3Strategy: { ...app.s3Strategy, [step]: undefined } }),
  })),
];

const partnerStatesArb = fc
  .uniqueArray(fc.constantFrom(...regions), { maxLength: 5 })
  .chain((list) =>
    fc.tuple(
      ...list.map((region) =>
        fc.record({
          region: fc.constant(region),
          invitedAt: fc.constant('2027-01-01T00:00:00.000Z'),
          confirmed: fc.boolean(),
        }),
      ),
    ),
  )
  .map((list) =>
    list.map(({ region, invitedAt, confirmed }): PartnerState => ({
      region,
      invitedAt,
      ...(confirmed ? { confirmedAt: '2027-01-02T00:00:00.000Z' } : {}),
    })),
  );

describe('application rule properties', () => {
  it('accepts every complete application within the call’s rules, frozen as the contract has it', () => {
    fc.assert(
      fc.property(anyCompleteArb, ({ app, call }) => {
        const check = checkSubmission(app, call);
        expect(check).toMatchObject({ ok: true });
        if (check.ok) expect(submittedApplication.safeParse(check.application).success).toBe(true);
      }),
    );
  });

  it('refuses an application missing any one thing a submission needs, naming where', () => {
    fc.assert(
      fc.property(anyCompleteArb, fc.constantFrom(...omissions), ({ app, call }, { path, omit }) => {
        const check = checkSubmission(omit(app), call);
        expect(check.ok).toBe(false);
        if (!check.ok) expect(check.errors.map((e) => e.path)).toContain(path);
      }),
    );
  });

  it('refuses a request above the total cost or the ceiling, or of nothing, at budget.requested', () => {
    // Around each bound, where an off-by-one shows, and anywhere at all.
    const requestArb = fc.oneof(
      fc.record({
        near: fc.constantFrom('total' as const, 'ceiling' as const, 'zero' as const),
        delta: fc.integer({ min: -2, max: 2 }),
      }),
      fc.record({
        near: fc.constant('anywhere' as const),
        delta: fc.integer({ min: -1, max: 2_000_000_00 }),
      }),
    );
    fc.assert(
      fc.property(anyCompleteArb, requestArb, ({ app, call }, { near, delta }) => {
        const total = app.budget!.total;
        const base = { total, ceiling: call.perApplicationCeiling, zero: 0, anywhere: 0 }[near];
        const requested = base + delta;
        const check = checkSubmission({ ...app, budget: { total, requested } }, call);
        const allowed = requested > 0 && requested <= total && requested <= call.perApplicationCeiling;
        expect(check.ok).toBe(allowed);
        if (!check.ok) expect(check.errors.some((e) => e.path.startsWith('budget.requested'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses every milestone due on or before the day the call closes, at its own index', () => {
    fc.assert(
      fc.property(
        anyCompleteArb,
        fc.nat(3),
        fc.integer({ min: 0, max: 400 }),
        ({ app, call }, pick, early) => {
          const index = pick % app.workPlan!.length;
          const dueDate = new Date(Date.parse(closesAt) - early * 86_400_000).toISOString().slice(0, 10);
          const workPlan = app.workPlan!.map((m, i) => (i === index ? { ...m, dueDate } : m));
          const check = checkSubmission({ ...app, workPlan }, call);
          expect(check.ok).toBe(false);
          if (!check.ok) expect(check.errors.map((e) => e.path)).toContain(`workPlan.${index}.dueDate`);
        },
      ),
    );
  });

  it('refuses a partnership until every partner has confirmed, naming each that has not', () => {
    fc.assert(
      fc.property(
        completeDraftArb(irCall),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        (app, confirmed) => {
          const partners = app.partners.map((p, i) =>
            confirmed[i] ? p : { region: p.region, invitedAt: p.invitedAt },
          );
          const check = checkSubmission({ ...app, partners }, irCall);
          const pending = partners.flatMap((p, i) => (p.confirmedAt ? [] : [`partners.${i}`]));
          expect(check.ok).toBe(pending.length === 0);
          if (!check.ok) expect(check.errors.map((e) => e.path)).toEqual(expect.arrayContaining(pending));
        },
      ),
    );
  });

  it('names each partner that is the lead or listed again, and refuses any partner of a single region', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...regions),
        fc.array(fc.constantFrom(...regions), { maxLength: 6 }),
        fc.constantFrom('industrial-transition' as const, 'interregional-partnership' as const),
        (lead, partners, pilotType) => {
          const problems = partnerProblems(lead, partners, pilotType);
          if (pilotType === 'industrial-transition') {
            expect(problems).toHaveLength(partners.length > 0 ? 1 : 0);
            return;
          }
          const wrong = partners.flatMap((p, i) =>
            p === lead || partners.indexOf(p) < i ? [`partners.${i}`] : [],
          );
          expect(problems.map((p) => p.path)).toEqual(wrong);
        },
      ),
    );
  });

  it('lists the partners anew: kept ones keep their state, new ones are invited, dropped ones removed, and again changes nothing', () => {
    fc.assert(
      fc.property(
        partnerStatesArb,
        fc.uniqueArray(fc.constantFrom(...regions), { maxLength: 5 }),
        (current, next) => {
          const at = '2027-02-01T00:00:00.000Z';
          const change = replacePartners(current, next, at);
          expect(change.partners.map((p) => p.region)).toEqual(next);
          for (const partner of change.partners) {
            const before = current.find((p) => p.region === partner.region);
            expect(partner).toEqual(before ?? { region: partner.region, invitedAt: at });
          }
          expect(change.invited).toEqual(next.filter((r) => !current.some((p) => p.region === r)));
          expect(change.removed).toEqual(current.map((p) => p.region).filter((r) => !next.includes(r)));
          const again = replacePartners(change.partners, next, '2027-03-01T00:00:00.000Z');
          expect(again).toEqual({ partners: change.partners, invited: [], removed: [] });
        },
      ),
    );
  });

  it('confirms a partner once: only that partner changes, and a second confirmation changes nothing', () => {
    fc.assert(
      fc.property(partnerStatesArb, fc.constantFrom(...regions), (partners, region) => {
        const at = '2027-02-01T00:00:00.000Z';
        const first = confirmPartner(partners, region, at);
        const partner = partners.find((p) => p.region === region);
        if (!partner) return expect(first).toEqual({ kind: 'not-a-partner' });
        if (partner.confirmedAt) return expect(first).toEqual({ kind: 'already-confirmed' });
        expect(first.kind).toBe('confirmed');
        if (first.kind !== 'confirmed') return;
        expect(first.partners).toEqual(
          partners.map((p) => (p.region === region ? { ...p, confirmedAt: at } : p)),
        );
        expect(confirmPartner(first.partners, region, '2027-03-01T00:00:00.000Z')).toEqual({
          kind: 'already-confirmed',
        });
      }),
    );
  });

  it('refuses nothing the status table does not allow, and nothing but a withdrawal once a revision is due', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.constantFrom(...actions),
        fc.option(fc.constantFrom(...stageNames), { nil: undefined }),
        fc.integer({ min: -5, max: 5 }),
        (status: ApplicationStatus, action, stageName, dueInDays) => {
          const now = new Date('2027-02-01T00:00:00.000Z');
          const dueAt = new Date(now.getTime() + dueInDays * 86_400_000).toISOString();
          const refusal = actionRefusal(
            { status, stage: { ...(stageName ? { name: stageName } : {}), dueAt } },
            action,
            now,
          );
          if (!mayDo(status, action)) return expect(refusal?.status).toBe(409);
          const late = status === 'revision' && action !== 'withdraw' && dueInDays <= 0;
          const conditions = action === 'withdraw' && status === 'decision' && stageName === 'conditions';
          expect(refusal?.status).toBe(conditions ? 409 : late ? 422 : undefined);
        },
      ),
    );
  });
});
