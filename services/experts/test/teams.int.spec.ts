import type { Caller, TestExperts, Wire } from './support';
import {
  eventually,
  pilotApproved,
  pilotClosed,
  registerExpert,
  startTestExperts,
  uniqueId,
} from './support';

/** Invitations lapse fast here, so that a lapse can be watched. */
const invitationSeconds = 6;

let t: TestExperts;
let wire: Wire;
let manager: Caller;

type Member = { expertId: string; status: string; lead: boolean; covers: string[]; assignmentId: string };
type Team = {
  phase: string;
  members: Member[];
  explanation?: { passedOver: { expertId: string; reason: string }[]; requirements: { key: string }[] };
  failure?: { uncovered: { key: string }[]; reason: string };
};

beforeAll(async () => {
  t = await startTestExperts('experts-teams', {
    INVITATION_PERIOD_SECONDS: String(invitationSeconds),
    INVITATION_REMINDER_BEFORE_SECONDS: '3',
  });
  wire = await t.tap();
  manager = await t.as('manager', ['programme-manager']);
});

afterAll(async () => {
  await t?.stop();
});

const addExpert = (fields: Record<string, unknown>) => registerExpert(manager, fields);

const teamOf = async (pilotId: string, as: Caller = manager) =>
  as<Team>('GET', `/api/pilots/${pilotId}/team`);

const teamWhen = (pilotId: string, check: (team: Team) => boolean, what: string, timeoutMs = 20_000) =>
  eventually(
    async () => {
      const answer = await teamOf(pilotId);
      return answer.status === 200 && check(answer.body) ? answer.body : undefined;
    },
    what,
    timeoutMs,
  );

const invited = (team: Team) => team.members.filter((m) => m.status === 'invited');

async function accept(member: Member): Promise<void> {
  const expert = await t.as(member.expertId, ['expert']);
  const mine = await expert<{ items: { id: string; pilotId: string }[] }>(
    'GET',
    '/api/assignments?mine=true',
  );
  expect(mine.body.items.map((a) => a.id)).toContain(member.assignmentId);
  const answer = await expert('POST', `/api/assignments/${member.assignmentId}/accept`);
  expect(answer.status).toBe(200);
}

type Objective = 'blue-growth' | 'social-innovation' | 'sustainable-innovation';
/** A domain only one test's experts know, so that the pool the tests of this file share does not interfere. */
const domainOnly = (objective: Objective) => ({ kind: 'policy', objective }) as const;
const challenge = (topic: 'health' | 'transport') =>
  ({ kind: 'policy', objective: 'societal-challenges', topic }) as const;

describe('a team for an approved pilot', () => {
  it('is proposed to cover the pilot, invited, accepted, and announced; its choices are explained', async () => {
    const lead = await addExpert({
      id: 'lead',
      country: 'IT',
      languages: ['bg', 'en'],
      domains: [domainOnly('blue-growth')],
      supportAreas: ['skills'],
    });
    const second = await addExpert({ id: 'second', country: 'FR', supportAreas: ['investment-barriers'] });
    const sameCountry = await addExpert({
      id: 'same',
      country: 'BG',
      domains: [domainOnly('blue-growth')],
      supportAreas: ['skills', 'investment-barriers'],
    });
    const pilotId = uniqueId('pilot');
    await t.publishLifecycle(
      pilotApproved({
        pilotId,
        priorityDomains: [domainOnly('blue-growth')],
        requestedSupport: ['skills', 'investment-barriers'],
        expertTeamSize: 2,
      }),
    );

    const proposed = await teamWhen(pilotId, (team) => invited(team).length === 2, 'two invitations');
    expect(proposed.phase).toBe('inviting');
    expect(proposed.members.map((m) => m.expertId).sort()).toEqual([lead, second].sort());
    expect(proposed.members.find((m) => m.expertId === lead)).toMatchObject({
      lead: true,
      covers: expect.arrayContaining(['support:skills']),
    });
    expect(proposed.explanation?.passedOver).toContainEqual({
      expertId: sameCountry,
      reason: expect.stringContaining('BG'),
    });

    // The region sees its team, not who else was considered; another region does not see it.
    const region = await t.as('region-bg41', ['region'], 'BG41');
    const asRegion = await teamOf(pilotId, region);
    expect(asRegion.status).toBe(200);
    expect(asRegion.body.explanation?.passedOver).toEqual([]);
    expect(JSON.stringify(asRegion.body)).not.toContain(sameCountry);
    expect((await teamOf(pilotId, await t.as('region-pl91', ['region'], 'PL91'))).status).toBe(404);
    // An expert answers only its own invitations.
    const [first] = invited(proposed);
    const other = await t.as(sameCountry, ['expert']);
    expect((await other('POST', `/api/assignments/${first!.assignmentId}/accept`)).status).toBe(404);

    for (const member of invited(proposed)) await accept(member);
    const assigned = await teamWhen(pilotId, (team) => team.phase === 'assigned', 'the team to be assigned');
    expect(assigned.members.every((m) => m.status === 'accepted')).toBe(true);
    const announced = await eventually(
      async () => wire.of(pilotId, 'expert-team.assigned')[0],
      'expert-team.assigned',
    );
    expect(
      (announced.data as { members: { expertId: string }[] }).members.map((m) => m.expertId).sort(),
    ).toEqual([lead, second].sort());
    expect(wire.of(pilotId, 'expert-team.invited')).toHaveLength(2);

    // The load of each member counts the pilot; the pilot's end gives it back.
    const loadOf = async (id: string) =>
      (await manager<{ load: number }>('GET', `/api/experts/${id}`)).body.load;
    expect(await loadOf(lead)).toBe(1);
    await t.publishLifecycle(pilotClosed(pilotId));
    await teamWhen(pilotId, (team) => team.phase === 'released', 'the team to be released');
    await eventually(async () => (await loadOf(lead)) === 0 && (await loadOf(second)) === 0, 'capacity back');
    expect(wire.invalid).toEqual([]);
  });

  it('replaces a decline and a lapse by the next best expert', async () => {
    const objective = domainOnly('social-innovation');
    const [a, b, c, d] = [
      await addExpert({ id: 'a', country: 'IT', domains: [objective], capacity: 3 }),
      await addExpert({ id: 'b', country: 'FR', domains: [objective], capacity: 3 }),
      await addExpert({ id: 'c', country: 'NL', domains: [objective], capacity: 3 }),
      await addExpert({ id: 'd', country: 'SE', domains: [objective], capacity: 3 }),
    ];
    const pilotId = uniqueId('pilot');
    await t.publishLifecycle(
      pilotApproved({
        pilotId,
        priorityDomains: [objective],
        requestedSupport: ['skills'],
        expertTeamSize: 2,
      }),
    );
    const proposed = await teamWhen(pilotId, (team) => invited(team).length === 2, 'two invitations');
    const [declining, lapsing] = invited(proposed);

    const decliner = await t.as(declining!.expertId, ['expert']);
    const refused = await decliner('POST', `/api/assignments/${declining!.assignmentId}/decline`, {});
    expect(refused.status).toBe(400);
    const declined = await decliner('POST', `/api/assignments/${declining!.assignmentId}/decline`, {
      reason: 'I am on leave for the whole period.',
    });
    expect(declined.status).toBe(200);
    expect((await decliner('POST', `/api/assignments/${declining!.assignmentId}/accept`)).status).toBe(409);

    const afterDecline = await teamWhen(
      pilotId,
      (team) => invited(team).length === 2 && !invited(team).some((m) => m.expertId === declining!.expertId),
      'a replacement for the decline',
    );
    expect(afterDecline.members.find((m) => m.expertId === declining!.expertId)?.status).toBe('declined');
    expect(afterDecline.explanation?.passedOver).toContainEqual({
      expertId: declining!.expertId,
      reason: expect.stringContaining('declined'),
    });

    // The second invitation lapses; its expert is replaced, and never proposed again.
    const afterLapse = await teamWhen(
      pilotId,
      (team) => team.members.some((m) => m.expertId === lapsing!.expertId && m.status === 'lapsed'),
      'the lapse',
      (invitationSeconds + 10) * 1_000,
    );
    const remaining = [a, b, c, d].filter((id) => id !== declining!.expertId && id !== lapsing!.expertId);
    const active = afterLapse.members.filter((m) => m.status === 'invited' || m.status === 'accepted');
    for (const member of active) expect(remaining).toContain(member.expertId);
    // Reminded before it lapsed, once.
    const lapse = await eventually(
      async () =>
        wire
          .of(pilotId, 'expert-team.invitation-answered')
          .find((e) => (e.data as { answer: string }).answer === 'lapsed'),
      'the lapse on the wire',
    );
    const reminders = wire
      .of(pilotId, 'expert-team.invitation-reminded')
      .filter((e) => (e.data as { expertId: string }).expertId === lapsing!.expertId);
    expect(reminders).toHaveLength(1);
    expect(Date.parse(reminders[0]!.occurredAt)).toBeLessThan(Date.parse(lapse.occurredAt));
    const answers = wire
      .of(pilotId, 'expert-team.invitation-answered')
      .map((e) => (e.data as { answer: string }).answer);
    expect(answers).toEqual(expect.arrayContaining(['declined', 'lapsed']));
  });

  it('reports a team it cannot form, and forms it on retry once the pool has the expertise', async () => {
    const objective = challenge('health');
    await addExpert({
      id: 'helper',
      country: 'FR',
      domains: [challenge('transport')],
      supportAreas: ['skills'],
    });
    const pilotId = uniqueId('pilot');
    await t.publishLifecycle(
      pilotApproved({
        pilotId,
        priorityDomains: [objective],
        requestedSupport: ['skills'],
        expertTeamSize: 1,
      }),
    );
    const failed = await teamWhen(pilotId, (team) => team.phase === 'failed', 'the failure');
    expect(failed.failure?.uncovered.map((r) => r.key)).toContain('domain:policy:societal-challenges.health');
    const event = await eventually(
      async () => wire.of(pilotId, 'expert-team.assignment-failed')[0],
      'expert-team.assignment-failed',
    );
    expect((event.data as { reason: string }).reason).toMatch(/health/i);

    const region = await t.as('region-bg41', ['region'], 'BG41');
    expect((await region('POST', `/api/pilots/${pilotId}/team/retry`)).status).toBe(403);
    const health = await addExpert({
      id: 'health',
      country: 'NL',
      domains: [objective],
      supportAreas: ['skills'],
    });
    const retried = await manager<Team>('POST', `/api/pilots/${pilotId}/team/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.phase).toBe('inviting');
    expect(invited(retried.body).map((m) => m.expertId)).toEqual([health]);
    expect((await manager('POST', `/api/pilots/${pilotId}/team/retry`)).status).toBe(409);
  });

  it('replaces a member later without stopping the pilot, and announces the team anew', async () => {
    const objective = domainOnly('sustainable-innovation');
    const first = await addExpert({ id: 'first', country: 'IT', domains: [objective] });
    const backup = await addExpert({ id: 'backup', country: 'FR', domains: [objective] });
    const pilotId = uniqueId('pilot');
    await t.publishLifecycle(
      pilotApproved({
        pilotId,
        priorityDomains: [objective],
        requestedSupport: ['skills'],
        expertTeamSize: 1,
      }),
    );
    const proposed = await teamWhen(pilotId, (team) => invited(team).length === 1, 'an invitation');
    const [member] = invited(proposed);
    await accept(member!);
    await teamWhen(pilotId, (team) => team.phase === 'assigned', 'the team');
    expect([first, backup]).toContain(member!.expertId);

    const replaced = await manager<Team>(
      'POST',
      `/api/pilots/${pilotId}/team/members/${member!.expertId}/replace`,
      { reason: 'A conflict of interest came to light.' },
    );
    expect(replaced.status).toBe(200);
    const reinvited = await teamWhen(pilotId, (team) => invited(team).length === 1, 'a new invitation');
    const [replacement] = invited(reinvited);
    expect(replacement!.expertId).not.toBe(member!.expertId);
    await accept(replacement!);
    await eventually(
      async () => (wire.of(pilotId, 'expert-team.assigned').length === 2 ? true : undefined),
      'the team announced anew',
    );
    const [once, again] = wire.of(pilotId, 'expert-team.assigned');
    expect((again!.data as { teamId: string }).teamId).toBe((once!.data as { teamId: string }).teamId);
    expect(wire.of(pilotId, 'expert-team.member-replaced')).toHaveLength(1);
  });
});
