import type { TestLifecycle, Wire } from './support';
import {
  eventually,
  openCall,
  review,
  seated,
  seedReviewers,
  stageOf,
  startTestLifecycle,
  submitted,
  submittedApplication,
  teamAssigned,
  toDecision,
  withdrawn,
} from './support';

/**
 * Deadlines given as a day fall due at one time of day (DEADLINE_TIME_UTC): the service is
 * started with that time set a little after the tests start, so that a revision, conditions or
 * a milestone "due today" falls due while the tests run, on the real server's clock.
 */
const deadline = new Date(Date.now() + 60_000);
const dueDay = deadline.toISOString().slice(0, 10);
const laterDay = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

let t: TestLifecycle;
let wire: Wire;
let callId: string;

beforeAll(async () => {
  t = await startTestLifecycle('pilot-branches', {
    DEADLINE_TIME_UTC: deadline.toISOString().slice(11, 19),
    REVIEW_PERIOD_SECONDS: '8',
    REVIEW_REMINDER_BEFORE_SECONDS: '4',
    MILESTONE_REMINDER_BEFORE_SECONDS: '5',
    DECISION_PERIOD_SECONDS: '3',
  });
  wire = await t.tap();
  await seedReviewers(t, [
    { id: 'rev-nl', country: 'NL' },
    { id: 'rev-at', country: 'AT' },
    { id: 'rev-ie', country: 'IE' },
    { id: 'rev-dk', country: 'DK' },
    { id: 'rev-pl', country: 'PL' },
  ]);
  callId = await openCall(t);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const approver = () => t.as('approver1', ['approver']);

describe('eligibility', () => {
  it('ends an ineligible application with every broken rule as a reason', async () => {
    const application = submittedApplication(callId, {
      region: 'SE33',
      budget: { total: 100_000_00, requested: 400_000_00 },
    });
    await t.publish('applications', submitted(application));
    const pilot = await stageOf(t, application.id, 'ineligible');
    const reasons = pilot.history.at(-1).reasons.map((r: { rule: string }) => r.rule);
    expect(reasons).toEqual(expect.arrayContaining(['country', 'budget-ceiling', 'budget-total-cost']));
    const event = await eventually(
      async () =>
        wire
          .of(application.id, 'lifecycle.stage-changed')
          .find((e) => (e.data as { to: string }).to === 'ineligible'),
      'the ineligible event',
    );
    expect((event.data as { reasons: unknown[] }).reasons).toHaveLength(reasons.length);
  });
});

describe('evaluation', () => {
  it('replaces a reviewer who declares a conflict, and never seats it again', async () => {
    const application = submittedApplication(callId, { region: 'EL30' });
    await t.publish('applications', submitted(application));
    const pilot = await seated(t, application.id);
    const first = pilot.pendingTasks[0].assignee as string;
    const as = await t.as(first, ['reviewer']);
    const declared = await as('POST', `/api/pilots/${application.id}/conflicts`, {
      conflict: true,
      statement: 'I advised the regional government on this strategy.',
    });
    expect(declared.status).toBe(201);
    const reseated = await seated(t, application.id);
    const assignees = reseated.pendingTasks.map((task: { assignee: string }) => task.assignee);
    expect(assignees).not.toContain(first);
    expect(assignees).toHaveLength(2);
    // The conflicted reviewer cannot read the content, nor review.
    expect((await as('GET', `/api/pilots/${application.id}/application`)).status).toBe(403);
    expect((await as('POST', `/api/pilots/${application.id}/reviews`, { scores: [] })).status).toBe(400);
    await eventually(
      async () => wire.of(application.id, 'lifecycle.conflict-declared').length === 1,
      'the declaration on the wire',
    );
  });

  it('asks for a consensus when the scores differ by more than the tolerance', async () => {
    const application = submittedApplication(callId);
    await t.publish('applications', submitted(application));
    await review(t, application.id, [
      [5, 5],
      [2, 2],
    ]);
    const pilot = await stageOf(t, application.id, 'consensus');
    expect(pilot.history.at(-1).reason).toMatch(/differ by 60 points/);
    const rapporteur = await t.as(pilot.pendingTasks[0].assignee, ['reviewer']);
    const agreed = await rapporteur('POST', `/api/pilots/${application.id}/consensus`, {
      scores: [
        { criterionId: 'relevance', score: 4 },
        { criterionId: 'quality', score: 3 },
      ],
    });
    expect(agreed.status).toBe(201);
    const decided = await stageOf(t, application.id, 'decision');
    expect(decided.score).toBe(72);
  });

  it('rejects a pilot whose weighted score is below the pass threshold', async () => {
    const application = submittedApplication(callId);
    await t.publish('applications', submitted(application));
    await review(t, application.id, [
      [2, 3],
      [3, 2],
    ]);
    const pilot = await stageOf(t, application.id, 'rejected');
    expect(pilot.history.at(-1).reason).toMatch(/below the pass threshold of 60/);
  });

  it('reminds reviewers before their deadline and escalates after it', async () => {
    const application = submittedApplication(callId);
    await t.publish('applications', submitted(application));
    await seated(t, application.id);
    const reminders = await eventually(
      async () => {
        const found = wire.of(application.id, 'lifecycle.task-reminded');
        return found.length >= 4 ? found : undefined;
      },
      'two reminders and two escalations',
      30_000,
    );
    const escalated = reminders.map((e) => (e.data as { escalated: boolean }).escalated);
    expect(escalated.filter(Boolean)).toHaveLength(2);
    expect(escalated.filter((x) => !x)).toHaveLength(2);
  });

  it('withdraws a pilot in evaluation, and frees its reviewers', async () => {
    const application = submittedApplication(callId);
    await t.publish('applications', submitted(application));
    const pilot = await seated(t, application.id);
    const reviewer = pilot.pendingTasks[0].assignee as string;
    await t.publish('applications', withdrawn(application.id));
    const ended = await stageOf(t, application.id, 'withdrawn');
    expect(ended.history.at(-1).reason).toMatch(/changed its plans/);
    const as = await t.as(reviewer, ['reviewer']);
    await eventually(async () => {
      const tasks = await as('GET', '/api/reviews?mine=true');
      return !tasks.body.items.some((task: { pilotId: string }) => task.pilotId === application.id);
    }, 'the reviewer freed of the withdrawn pilot');
  });
});

describe('decision', () => {
  it('tells the programme manager when a decision is late', async () => {
    const pilotId = await toDecision(t, callId);
    const escalation = await eventually(
      async () =>
        wire
          .of(pilotId, 'lifecycle.task-reminded')
          .find((e) => (e.data as { task: { kind: string } }).task.kind === 'decide'),
      'the late decision escalated',
    );
    expect(escalation.data).toMatchObject({ escalated: true, task: { assignee: 'approver' } });
    const pilot = await stageOf(t, pilotId, 'decision');
    expect(pilot.pendingTasks).toEqual([
      expect.objectContaining({ kind: 'decide', dueAt: expect.any(String) }),
    ]);
  });

  it('rejects with reasons', async () => {
    const pilotId = await toDecision(t, callId);
    const answer = await (
      await approver()
    )('POST', `/api/pilots/${pilotId}/decision`, {
      decision: 'reject',
      reasons: 'The budget does not match the work plan.',
    });
    expect(answer.status).toBe(201);
    expect(answer.body.stage).toBe('rejected');
    // A final pilot takes no more steps.
    const again = await (
      await approver()
    )('POST', `/api/pilots/${pilotId}/decision`, {
      decision: 'approve',
      reasons: 'Changed my mind.',
    });
    expect(again.status).toBe(409);
  });

  it('returns a file for revision; the resubmission goes back to evaluation', async () => {
    const application = submittedApplication(callId, { region: 'PL91' });
    const pilotId = await toDecisionWith(application);
    const asked = await (
      await approver()
    )('POST', `/api/pilots/${pilotId}/decision`, {
      decision: 'revise',
      reasons: 'Make the milestones measurable.',
      revisionDueBy: laterDay,
    });
    expect(asked.body.stage).toBe('revision');
    const region = await t.as('region-pl91', ['region'], 'PL91');
    const other = await t.as('region-bg41', ['region'], 'BG41');
    // Only the lead region, and only a version it has resubmitted.
    expect((await other('POST', `/api/pilots/${pilotId}/revision`, { submissionVersion: 2 })).status).toBe(
      404,
    );
    const revised = { ...application, title: 'Smart manufacturing transition, measurable' };
    // The resubmission through the applications service is the region's step: it is taken up as
    // it arrives; naming it through the API as well changes nothing (201 if first, 409 after).
    await t.publish('applications', submitted(revised, 2));
    const named = await region('POST', `/api/pilots/${pilotId}/revision`, {
      submissionVersion: 2,
      note: 'Every milestone now has an indicator.',
    });
    expect([201, 409]).toContain(named.status);
    const again = await seated(t, pilotId);
    expect(again.submissionVersion).toBe(2);
    expect(again.title).toBe(revised.title);
    expect(again.history.map((c: { to: string }) => c.to).slice(-3)).toEqual([
      'revision',
      'eligibility',
      'evaluation',
    ]);

    // Both versions stay readable, for the diff of what changed; none beyond the pilot's.
    const manager = await t.as('manager', ['programme-manager']);
    const read = async (query: string) => manager('GET', `/api/pilots/${pilotId}/application${query}`);
    expect((await read('')).body.application.title).toBe(revised.title);
    expect((await read('?version=2')).body.receipt.submissionVersion).toBe(2);
    const first = await read('?version=1');
    expect(first.status).toBe(200);
    expect(first.body.application.title).toBe(application.title);
    expect((await read('?version=3')).status).toBe(404);
    const malformed = await read('?version=0');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ path: 'query.version' })]);
  });

  it('lapses a revision or conditions not met by their date; confirmed conditions approve', async () => {
    const revising = await toDecision(t, callId);
    const confirmed = await toDecision(t, callId);
    const unconfirmed = await toDecision(t, callId);
    const asked = await (
      await approver()
    )('POST', `/api/pilots/${revising}/decision`, {
      decision: 'revise',
      reasons: 'Add a partner university.',
      revisionDueBy: dueDay,
    });
    expect(asked.body.stage).toBe('revision');
    for (const pilotId of [confirmed, unconfirmed]) {
      const answer = await (
        await approver()
      )('POST', `/api/pilots/${pilotId}/decision`, {
        decision: 'approve-with-conditions',
        reasons: 'Good, once the co-financing is confirmed.',
        conditions: ['A signed co-financing commitment from the regional budget'],
        conditionsDueBy: dueDay,
      });
      expect(answer.body.stage).toBe('conditions');
    }
    const met = await (
      await t.as('approver2', ['approver'])
    )('POST', `/api/pilots/${confirmed}/conditions`, {
      statement: 'The commitment was signed on the 3rd.',
    });
    expect(met.status).toBe(201);
    expect(met.body.stage).toBe('expert-team');
    const calls = await t.callsAs('manager', ['programme-manager']);
    const reservations = (await calls('GET', `/api/calls/${callId}`)).body;
    expect(reservations.committedBudget).toBeGreaterThanOrEqual(200_000_00);

    const lapsedRevision = await stageOf(t, revising, 'lapsed', 90_000);
    expect(lapsedRevision.history.at(-1).reason).toMatch(/no revision was resubmitted/);
    const lapsedConditions = await stageOf(t, unconfirmed, 'lapsed', 30_000);
    expect(lapsedConditions.history.at(-1).reason).toMatch(/conditions were not confirmed/);
    // After its date, a deadline cannot be set any more.
    const late = await toDecision(t, callId);
    const refused = await (
      await approver()
    )('POST', `/api/pilots/${late}/decision`, {
      decision: 'revise',
      reasons: 'Too late.',
      revisionDueBy: dueDay,
    });
    expect(refused.status).toBe(409);
  }, 150_000);
});

describe('implementation', () => {
  it('reminds before a milestone is due and marks it overdue after', async () => {
    const application = submittedApplication(callId, {
      workPlan: [{ title: 'Cluster strategy adopted', dueDate: dueDay, deliverables: ['Strategy'] }],
    });
    const pilotId = await toDecisionWith(application);
    await (
      await approver()
    )('POST', `/api/pilots/${pilotId}/decision`, { decision: 'approve', reasons: 'Good.' });
    await t.publish('experts', teamAssigned(pilotId));
    await stageOf(t, pilotId, 'implementation');
    const overdue = await eventually(
      async () => wire.of(pilotId, 'lifecycle.milestone-overdue')[0],
      'the overdue milestone',
      80_000,
    );
    expect(overdue.data).toMatchObject({ milestone: 0, region: 'BG41', dueDate: dueDay });
    const reminder = wire
      .of(pilotId, 'lifecycle.task-reminded')
      .find((e) => (e.data as { task: { kind: string } }).task.kind === 'milestone-report');
    expect(reminder).toBeDefined();
  }, 120_000);
});

async function toDecisionWith(application: ReturnType<typeof submittedApplication>): Promise<string> {
  await t.publish('applications', submitted(application));
  await review(t, application.id, [
    [4, 4],
    [4, 4],
  ]);
  await stageOf(t, application.id, 'decision');
  return application.id;
}
