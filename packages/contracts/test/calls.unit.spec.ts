import { randomUUID } from 'node:crypto';
import type { CallDraftBody } from '../src';
import {
  applyCallPatch,
  budgetReservationBody,
  callDraftBody,
  callEvents,
  callPatchBody,
  validateEvent,
} from '../src';

const draft = (): Record<string, unknown> => ({
  pilotType: 'interregional-partnership',
  title: 'Vanguard partnerships for bioeconomy value chains',
  summary: 'Interregional projects that build European value chains.',
  eligibility: { countries: ['BG', 'SE', 'ES'], minPartners: 1, maxPartners: 5, minCountries: 2 },
  prioritySectors: [
    { kind: 'economic', naceSection: 'C', naceDivision: '20' },
    { kind: 'scientific', nabsChapter: '08' },
  ],
  criteria: [
    { id: 'excellence', name: 'Excellence', weight: 40, maxScore: 5 },
    { id: 'impact', name: 'Impact', weight: 60, maxScore: 5 },
  ],
  passThreshold: 60,
  reviewersPerApplication: 3,
  totalBudget: 500_000_000,
  perApplicationCeiling: 50_000_000,
  opensAt: '2027-01-15T09:00:00Z',
  closesAt: '2027-03-31T17:00:00+02:00',
});

const issuesOf = (input: unknown) => {
  const result = callDraftBody.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('a call draft', () => {
  test('a complete draft is accepted, with defaults filled in', () => {
    const parsed = callDraftBody.parse(draft());
    expect(parsed.scoreTolerance).toBe(15);
    expect(parsed.eligibility.minCountries).toBe(2);
  });

  test.each([
    ['status', 'open'],
    ['committedBudget', 0],
    ['id', 'call-1'],
    ['createdBy', 'someone'],
  ])('refuses the privileged or unknown field %s instead of dropping it', (field, value) => {
    expect(issuesOf({ ...draft(), [field]: value }).join()).toContain(field);
  });

  test('criterion weights must add up to 100', () => {
    const body = draft();
    (body.criteria as { weight: number }[])[1]!.weight = 50;
    expect(issuesOf(body)).toEqual(['criteria: criterion weights add up to 90, not 100']);
  });

  test('criterion ids must be unique', () => {
    const body = draft();
    (body.criteria as { id: string }[])[1]!.id = 'excellence';
    expect(issuesOf(body)).toEqual(['criteria: criterion ids must be unique']);
  });

  test('the ceiling cannot exceed the total budget', () => {
    expect(issuesOf({ ...draft(), perApplicationCeiling: 600_000_000 })).toEqual([
      'perApplicationCeiling: the per-application ceiling cannot exceed the total budget',
    ]);
  });

  test('money is whole, non-negative euro cents', () => {
    expect(issuesOf({ ...draft(), totalBudget: 10.5 })[0]).toMatch(/^totalBudget: .*whole number/);
    expect(issuesOf({ ...draft(), totalBudget: -1 })[0]).toMatch(/^totalBudget:/);
    expect(issuesOf({ ...draft(), totalBudget: '500' })[0]).toMatch(/^totalBudget:/);
  });

  test('a call closes after it opens, with explicit time zones', () => {
    expect(issuesOf({ ...draft(), closesAt: '2027-01-15T09:00:00Z' })).toEqual([
      'closesAt: a call must close after it opens',
    ]);
    expect(issuesOf({ ...draft(), opensAt: '2027-01-15' })[0]).toMatch(/^opensAt:/);
  });

  test('eligibility names member states only', () => {
    expect(issuesOf({ ...draft(), eligibility: { countries: ['NO'] } })[0]).toMatch(
      /^eligibility\.countries\.0:/,
    );
  });

  test('a partnership needs partners; an industrial-transition pilot has none', () => {
    const partnership = { ...draft(), eligibility: { countries: ['BG'], minPartners: 0 } };
    expect(issuesOf(partnership)).toContain(
      'eligibility.minPartners: an interregional partnership needs at least one partner region',
    );
    const transition = { ...draft(), pilotType: 'industrial-transition' };
    expect(issuesOf(transition)).toContain(
      'eligibility: an industrial-transition pilot is one region: no partners, one country',
    );
  });

  test('a NACE division must belong to its section', () => {
    const body = {
      ...draft(),
      prioritySectors: [{ kind: 'economic', naceSection: 'A', naceDivision: '20' }],
    };
    expect(issuesOf(body)).toEqual([
      'prioritySectors.0.naceDivision: the NACE division does not belong to that section',
    ]);
  });
});

describe('a call patch', () => {
  test('must change something, and refuses unknown fields', () => {
    expect(callPatchBody.safeParse({}).success).toBe(false);
    expect(callPatchBody.safeParse({ status: 'closed' }).success).toBe(false);
    expect(callPatchBody.parse({ title: 'A better title' })).toEqual({ title: 'A better title' });
  });

  test('is checked against every rule once merged', () => {
    const call = callDraftBody.parse(draft()) as CallDraftBody;
    expect(applyCallPatch(call, { totalBudget: 10_000_000 }).success).toBe(false);
    expect(applyCallPatch(call, { closesAt: '2027-04-30T17:00:00Z' }).success).toBe(true);
  });
});

describe('a budget reservation', () => {
  test('names an application and a positive whole amount, and nothing else', () => {
    expect(budgetReservationBody.parse({ applicationId: 'app-1', amount: 1 })).toEqual({
      applicationId: 'app-1',
      amount: 1,
    });
    for (const body of [
      { applicationId: 'app-1', amount: 0 },
      { applicationId: 'app-1', amount: 10.5 },
      { applicationId: 'app 1', amount: 100 },
      { applicationId: 'app-1', amount: 100, committedBudget: 0 },
      { amount: 100 },
    ]) {
      expect(budgetReservationBody.safeParse(body).success).toBe(false);
    }
  });
});

describe('call events on the wire', () => {
  const closed = () => ({
    id: randomUUID(),
    type: 'call.closed',
    version: 1,
    source: 'calls',
    subject: 'call-1',
    occurredAt: '2027-03-31T15:00:00.000Z',
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: 'system', name: 'call-deadline' },
    data: { callId: 'call-1', closedAt: '2027-03-31T15:00:00.000Z', reason: 'deadline' },
  });

  test('a valid event passes both its envelope and its payload schema', () => {
    const result = validateEvent(closed());
    expect(result.ok).toBe(true);
    expect(callEvents.closed.parse(closed()).data.reason).toBe('deadline');
  });

  test('an unknown type or version is refused by name', () => {
    expect(validateEvent({ ...closed(), version: 2 })).toMatchObject({
      ok: false,
      reason: 'unknown event call.closed@2',
    });
  });

  test('a bad payload is refused with the field at fault', () => {
    const result = validateEvent({
      ...closed(),
      data: { callId: 'call-1', closedAt: 'yesterday', reason: 'deadline' },
    });
    expect(result).toMatchObject({
      ok: false,
      reason: 'invalid call.closed@1',
      issues: [{ path: 'data.closedAt' }],
    });
  });

  test('a message that is not an envelope is refused', () => {
    expect(validateEvent('hello')).toMatchObject({ ok: false, reason: 'not a valid envelope' });
    expect(validateEvent({ ...closed(), id: 'not-a-uuid' })).toMatchObject({
      ok: false,
      issues: [{ path: 'id' }],
    });
  });
});
