import type { CallStatus } from '@s3p/contracts';
import { callDraftBody } from '@s3p/contracts';
import type { CallAction, CallField, CallState } from '../src/domain/call-rules';
import {
  amendableFields,
  amendment,
  callFieldNames,
  lockedFields,
  manualClose,
  mayDo,
  mayRead,
  normalizeCall,
  normalizeDate,
  publication,
  readableStatuses,
  reservation,
  statusesAllowing,
} from '../src/domain/call-rules';

const now = new Date('2027-02-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();
const hour = 3_600_000;

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

describe('what may happen in which status', () => {
  const table: Record<CallStatus, CallAction[]> = {
    draft: ['amend', 'publish'],
    scheduled: ['amend', 'open', 'close'],
    open: ['amend', 'close', 'reserve'],
    closed: ['reserve'],
  };

  test.each(statuses.flatMap((status) => actions.map((action) => [status, action] as const)))(
    'a %s call: %s',
    (status, action) => {
      expect(mayDo(status, action)).toBe(table[status].includes(action));
    },
  );

  test('the statuses a conditional write expects, per action', () => {
    expect(statusesAllowing('publish')).toEqual(['draft']);
    expect(statusesAllowing('open')).toEqual(['scheduled']);
    expect(statusesAllowing('close')).toEqual(['scheduled', 'open']);
    expect(statusesAllowing('reserve')).toEqual(['open', 'closed']);
    expect(statusesAllowing('amend')).toEqual(['draft', 'scheduled', 'open']);
  });
});

describe('who reads which calls', () => {
  const published: CallStatus[] = ['scheduled', 'open', 'closed'];
  test.each<[string, CallStatus[]]>([
    ['programme-manager', statuses],
    ['auditor', statuses],
    ['region', published],
    ['reviewer', published],
    ['approver', published],
    ['expert', published],
    ['service', statuses],
  ])('%s reads %j', (role, readable) => {
    expect(readableStatuses([role])).toEqual(readable);
    for (const status of statuses) expect(mayRead([role], status)).toBe(readable.includes(status));
  });

  test('any role that may read drafts is enough', () => {
    expect(mayRead(['reviewer', 'auditor'], 'draft')).toBe(true);
  });
});

describe('publishing', () => {
  test('a draft opening later is scheduled; one whose opening date has come opens at once', () => {
    expect(publication(callIn('draft', { opensAt: at(hour) }), now)).toEqual({
      kind: 'publish',
      status: 'scheduled',
    });
    expect(publication(callIn('draft', { opensAt: at(-hour) }), now)).toEqual({
      kind: 'publish',
      status: 'open',
    });
    expect(publication(callIn('draft', { opensAt: at(0) }), now)).toEqual({
      kind: 'publish',
      status: 'open',
    });
  });

  test.each([0, -1, -hour])('is refused with 422 on closesAt when the call closes at now%+d ms', (offset) => {
    const decision = publication(callIn('draft', { opensAt: at(-2 * hour), closesAt: at(offset) }), now);
    expect(decision).toMatchObject({ kind: 'refused', status: 422, errors: [{ path: 'closesAt' }] });
  });

  test.each(['scheduled', 'open', 'closed'] as const)(
    'a %s call cannot be published again (409)',
    (status) => {
      expect(publication(callIn(status), now)).toMatchObject({ kind: 'refused', status: 409 });
    },
  );
});

describe('closing by hand', () => {
  test.each([
    ['draft', 409],
    ['scheduled', undefined],
    ['open', undefined],
    ['closed', 409],
  ] as const)('a %s call', (status, refused) => {
    const decision = manualClose(status);
    if (refused) expect(decision).toMatchObject({ kind: 'refused', status: refused });
    else expect(decision).toEqual({ kind: 'close' });
  });
});

describe('amending', () => {
  /** A value different from the call's for each field, valid for an industrial-transition call. */
  const changes: Record<CallField, unknown> = {
    pilotType: 'interregional-partnership',
    title: 'A better title',
    summary: 'A better summary.',
    eligibility: { countries: ['BG', 'PL', 'RO'], minPartners: 0, maxPartners: 0, minCountries: 1 },
    prioritySectors: [{ kind: 'economic', naceSection: 'D' }],
    criteria: [
      { id: 'relevance', name: 'Relevance', weight: 40, maxScore: 5 },
      { id: 'quality', name: 'Quality', weight: 60, maxScore: 5 },
    ],
    passThreshold: 70,
    reviewersPerApplication: 3,
    scoreTolerance: 10,
    expertTeamSize: 4,
    totalBudget: 2_000_000,
    perApplicationCeiling: 200_000,
    opensAt: at(2 * hour),
    closesAt: at(40 * 24 * hour),
  };
  const patchOf = (field: CallField) =>
    field === 'pilotType'
      ? // A partnership needs partners: the eligibility goes with it.
        {
          pilotType: changes.pilotType,
          eligibility: { countries: ['BG', 'PL'], minPartners: 1, maxPartners: 3, minCountries: 2 },
        }
      : { [field]: changes[field] };

  test('which fields each status locks', () => {
    expect(lockedFields.draft).toEqual([]);
    expect(lockedFields.scheduled).toEqual(['pilotType']);
    expect(amendableFields('open')).toEqual([
      'title',
      'summary',
      'reviewersPerApplication',
      'scoreTolerance',
      'expertTeamSize',
      'totalBudget',
      'perApplicationCeiling',
      'closesAt',
    ]);
    expect(amendableFields('closed')).toEqual([]);
    expect(amendableFields('draft')).toEqual(callFieldNames);
  });

  test.each(
    (['draft', 'scheduled', 'open'] as const).flatMap((s) => callFieldNames.map((f) => [s, f] as const)),
  )('a %s call and a change of %s', (status, field) => {
    const call = callIn(status);
    const decision = amendment(call, patchOf(field) as never, now);
    if (lockedFields[status].includes(field)) {
      expect(decision).toMatchObject({ kind: 'refused', status: 409 });
      expect(decision.kind === 'refused' && decision.errors).toContainEqual(
        expect.objectContaining({ path: `body.${field}` }),
      );
      return;
    }
    if (decision.kind !== 'amend') throw new Error(`expected an amendment, got ${JSON.stringify(decision)}`);
    expect(decision.changed).toContain(field);
    expect(decision.rescheduled).toBe(status !== 'draft' && (field === 'opensAt' || field === 'closesAt'));
    expect(decision.opened).toBe(false);
    expect(decision.status).toBe(status);
  });

  test('a closed call is not amended (409)', () => {
    expect(amendment(callIn('closed'), { title: 'Too late' }, now)).toMatchObject({
      kind: 'refused',
      status: 409,
    });
  });

  test('a patch that changes nothing is no amendment, whatever the time zone it writes a date in', () => {
    const call = callIn('open');
    const sameInstant = new Date(call.closesAt).toISOString().replace('Z', '+00:00');
    expect(amendment(call, { closesAt: sameInstant, title: call.title }, now)).toEqual({ kind: 'unchanged' });
    expect(amendment(call, { eligibility: { ...call.eligibility } }, now)).toEqual({ kind: 'unchanged' });
  });

  test('names only the fields that really change', () => {
    const call = callIn('scheduled');
    const decision = amendment(call, { title: call.title, summary: 'New.' }, now);
    expect(decision).toMatchObject({ kind: 'amend', changed: ['summary'] });
  });

  test('the merged call must keep every rule (422 with the field at fault)', () => {
    expect(amendment(callIn('draft'), { perApplicationCeiling: 2_000_000 }, now)).toMatchObject({
      kind: 'refused',
      status: 422,
      errors: [{ path: 'body.perApplicationCeiling' }],
    });
    expect(amendment(callIn('draft'), { closesAt: at(-48 * hour) }, now)).toMatchObject({
      kind: 'refused',
      status: 422,
      errors: [{ path: 'body.closesAt' }],
    });
  });

  test.each(['scheduled', 'open'] as const)('a %s call cannot move its deadline into the past', (status) => {
    const decision = amendment(callIn(status, { opensAt: at(-48 * hour) }), { closesAt: at(-1) }, now);
    expect(decision).toMatchObject({ kind: 'refused', status: 422, errors: [{ path: 'body.closesAt' }] });
  });

  test('a draft may carry past dates: it is checked when published', () => {
    const draft = callIn('draft', { opensAt: at(-48 * hour) });
    expect(amendment(draft, { closesAt: at(-hour) }, now)).toMatchObject({
      kind: 'amend',
      rescheduled: false,
    });
  });

  test('a scheduled call whose opening date moves to now opens with the amendment', () => {
    const decision = amendment(callIn('scheduled'), { opensAt: at(0) }, now);
    expect(decision).toMatchObject({ kind: 'amend', status: 'open', opened: true, rescheduled: true });
  });

  test('the total budget never goes below what is committed, and the remainder follows it', () => {
    const call = callIn('open', { committedBudget: 600_000 });
    expect(amendment(call, { totalBudget: 500_000, perApplicationCeiling: 100_000 }, now)).toMatchObject({
      kind: 'refused',
      status: 422,
      errors: [{ path: 'body.totalBudget' }],
    });
    expect(amendment(call, { totalBudget: 1_500_000 }, now)).toMatchObject({
      kind: 'amend',
      remainingBudget: 900_000,
    });
  });

  test('dates are kept in UTC', () => {
    expect(normalizeDate('2027-03-31T17:00:00+02:00')).toBe('2027-03-31T15:00:00.000Z');
    const decision = amendment(callIn('open'), { closesAt: '2027-03-31T17:00:00+02:00' }, now);
    expect(decision).toMatchObject({ kind: 'amend', fields: { closesAt: '2027-03-31T15:00:00.000Z' } });
  });
});

describe('reserving budget', () => {
  const budget = (status: CallStatus, remainingBudget = 1_000_000) => ({
    status,
    perApplicationCeiling: 300_000,
    committedBudget: 1_000_000 - remainingBudget,
    remainingBudget,
  });
  const request = { applicationId: 'app-1', amount: 200_000 };

  test.each(statuses)('on a %s call', (status) => {
    const decision = reservation(budget(status), undefined, request);
    if (status === 'open' || status === 'closed') {
      expect(decision).toEqual({ kind: 'reserve', committedBudget: 200_000, remainingBudget: 800_000 });
    } else {
      expect(decision).toMatchObject({ kind: 'refused', status: 409 });
    }
  });

  test('never above the per-application ceiling', () => {
    expect(reservation(budget('open'), undefined, { ...request, amount: 300_001 })).toMatchObject({
      kind: 'refused',
      status: 422,
      errors: [{ path: 'body.amount' }],
    });
    expect(reservation(budget('open'), undefined, { ...request, amount: 300_000 })).toMatchObject({
      kind: 'reserve',
    });
  });

  test('never above what remains, which the refusal names', () => {
    const decision = reservation(budget('open', 150_000), undefined, request);
    expect(decision).toMatchObject({ kind: 'refused', status: 422 });
    expect(decision.kind === 'refused' && decision.detail).toContain('150000');
    expect(reservation(budget('open', 200_000), undefined, request)).toEqual({
      kind: 'reserve',
      committedBudget: 1_000_000,
      remainingBudget: 0,
    });
  });

  test('the same application again: the same amount is the same reservation, another is a conflict', () => {
    const existing = { applicationId: 'app-1', amount: 200_000, reservedAt: now.toISOString() };
    // Even with nothing left, a repeat finds its reservation.
    expect(reservation(budget('closed', 0), existing, request)).toEqual({
      kind: 'existing',
      reservation: existing,
    });
    expect(reservation(budget('open'), existing, { ...request, amount: 100_000 })).toMatchObject({
      kind: 'refused',
      status: 409,
    });
  });
});
