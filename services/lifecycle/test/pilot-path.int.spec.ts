import type { TestLifecycle, Wire } from './support';
import {
  dayIn,
  eventually,
  finalReportAccepted,
  milestoneVerified,
  openCall,
  seated,
  seedReviewers,
  stageOf,
  startTestLifecycle,
  submitted,
  submittedApplication,
  teamAssigned,
} from './support';

const scores = (relevance: number, quality: number) => ({
  scores: [
    { criterionId: 'relevance', score: relevance, comment: 'Clear link to the S3 priorities.' },
    { criterionId: 'quality', score: quality },
  ],
});

let t: TestLifecycle;
let wire: Wire;

beforeAll(async () => {
  t = await startTestLifecycle('pilot-path', {
    // Milestones fall due a few seconds after the test's own clock reads their time of day.
    MILESTONE_REMINDER_BEFORE_SECONDS: '3',
  });
  wire = await t.tap();
  await seedReviewers(t, [
    { id: 'rev-nl', country: 'NL' },
    { id: 'rev-at', country: 'AT' },
    { id: 'rev-bg', country: 'BG' },
    { id: 'rev-ie', country: 'IE', conflicts: { regions: ['BG41'] } },
  ]);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('a pilot from submission to closing', () => {
  it('runs every stage, with the four-eyes rule, the budget and the events', async () => {
    const callId = await openCall(t);
    const application = submittedApplication(callId, {
      workPlan: [{ title: 'Skills academy designed', dueDate: dayIn(400), deliverables: ['Academy plan'] }],
    });
    const event = submitted(application);
    // A redelivered submission starts nothing twice.
    await t.publish('applications', event, event);
    const pilotId = application.id;

    const inEvaluation = await seated(t, pilotId);
    // Not from the applicant's country, not with a declared conflict, the least loaded first.
    expect(inEvaluation.seats.map((s: { reviewer: string }) => s.reviewer).sort()).toEqual([
      'rev-at',
      'rev-nl',
    ]);
    expect(inEvaluation.pendingTasks).toEqual([
      expect.objectContaining({ kind: 'declare-conflicts', assignee: 'rev-at' }),
      expect.objectContaining({ kind: 'declare-conflicts', assignee: 'rev-nl' }),
    ]);

    const nl = await t.as('rev-nl', ['reviewer']);
    const at = await t.as('rev-at', ['reviewer']);
    // The content only after the declaration.
    expect((await nl('GET', `/api/pilots/${pilotId}/application`)).status).toBe(403);
    expect((await nl('POST', `/api/pilots/${pilotId}/reviews`, scores(5, 5))).status).toBe(409);
    const declared = await nl('POST', `/api/pilots/${pilotId}/conflicts`, {
      conflict: false,
      statement: 'No link with the region or its partners.',
    });
    expect(declared.status).toBe(201);
    const content = await nl('GET', `/api/pilots/${pilotId}/application`);
    expect(content.status).toBe(200);
    expect(content.body.application.title).toBe(application.title);
    expect((await nl('GET', '/api/reviews?mine=true')).body.items).toEqual([
      expect.objectContaining({ pilotId, state: 'review' }),
    ]);

    // Scores are checked against the call's criteria.
    const outOfRange = await nl('POST', `/api/pilots/${pilotId}/reviews`, scores(6, 5));
    expect(outOfRange.status).toBe(422);
    const missing = await nl('POST', `/api/pilots/${pilotId}/reviews`, {
      scores: [{ criterionId: 'relevance', score: 4 }],
    });
    expect(missing.status).toBe(422);
    // A reviewer not seated on the pilot does not even see it.
    const bg = await t.as('rev-bg', ['reviewer']);
    expect((await bg('POST', `/api/pilots/${pilotId}/reviews`, scores(5, 5))).status).toBe(404);

    expect((await nl('POST', `/api/pilots/${pilotId}/reviews`, scores(4, 4))).status).toBe(201);
    expect((await nl('POST', `/api/pilots/${pilotId}/reviews`, scores(4, 4))).status).toBe(409);
    await at('POST', `/api/pilots/${pilotId}/conflicts`, { conflict: false, statement: 'None.' });
    expect((await at('POST', `/api/pilots/${pilotId}/reviews`, scores(4, 3))).status).toBe(201);

    const inDecision = await stageOf(t, pilotId, 'decision');
    // 4/5*60 + 4/5*40 = 80 and 4/5*60 + 3/5*40 = 72: within the tolerance, averaged.
    expect(inDecision.score).toBe(76);

    // Four eyes: a reviewer of the pilot may not decide on it, even holding the approver role.
    const reviewerApprover = await t.as('rev-nl', ['approver', 'reviewer']);
    const refused = await reviewerApprover('POST', `/api/pilots/${pilotId}/decision`, {
      decision: 'approve',
      reasons: 'Strong.',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/four eyes/);

    const approver = await t.as('approver1', ['approver']);
    const approved = await approver('POST', `/api/pilots/${pilotId}/decision`, {
      decision: 'approve',
      reasons: 'A credible plan with a strong partnership of industry and universities.',
    });
    expect(approved.status).toBe(201);
    expect(approved.body.stage).toBe('expert-team');
    const manager = await t.callsAs('manager', ['programme-manager']);
    expect((await manager('GET', `/api/calls/${callId}`)).body.committedBudget).toBe(200_000_00);

    const approvedEvent = await eventually(
      async () => wire.of(pilotId, 'pilot.approved')[0],
      'pilot.approved',
    );
    expect(approvedEvent.version).toBe(2);
    expect(approvedEvent.data).toMatchObject({
      pilotId,
      countries: ['BG'],
      amount: 200_000_00,
      expertTeamSize: 3,
      requestedSupport: expect.arrayContaining([expect.any(String)]),
    });

    // The expert team arrives as an event; a duplicate changes nothing.
    const team = teamAssigned(pilotId);
    await t.publish('experts', team, team);
    const implementing = await stageOf(t, pilotId, 'implementation');
    const teamId = (team.data as { teamId: string }).teamId;
    expect(implementing.team.teamId).toBe(teamId);

    // A member replaced later: the same team, completed anew, is what the pilot shows; the pilot goes on.
    const renewed = teamAssigned(pilotId, teamId);
    (renewed.data as { members: { expertId: string }[] }).members[1]!.expertId = 'expert03';
    await t.publish('experts', renewed);
    await stageOf(t, pilotId, 'implementation', 20_000, (view) =>
      view.team.members.some((m: { expertId: string }) => m.expertId === 'expert03'),
    );
    expect(implementing.pendingTasks).toEqual([
      expect.objectContaining({ kind: 'milestone-report', milestone: 0 }),
    ]);

    await t.publish('reporting', milestoneVerified(pilotId, 0, 'rejected'));
    await eventually(async () => {
      const view = await stageOf(t, pilotId, 'implementation');
      return view.milestones[0].status === 'rejected';
    }, 'the rejected report');
    await t.publish('reporting', milestoneVerified(pilotId, 0, 'accepted'));
    await stageOf(t, pilotId, 'final-report');
    await t.publish('reporting', finalReportAccepted(pilotId));
    const closed = await stageOf(t, pilotId, 'closed');

    expect(closed.history.map((c: { to: string }) => c.to)).toEqual([
      'submitted',
      'eligibility',
      'evaluation',
      'decision',
      'expert-team',
      'implementation',
      'final-report',
      'closed',
    ]);
    // One workflow for the two deliveries of the submission; one more run after continue-as-new.
    const runs = [];
    for await (const run of t.temporal.workflow.list({ query: `WorkflowId = '${pilotId}'` })) runs.push(run);
    expect(runs).toHaveLength(2);

    // Every stage change on the wire, in order, each valid against its contract.
    const changes = await eventually(async () => {
      const found = wire.of(pilotId, 'lifecycle.stage-changed');
      return found.length === 8 ? found : undefined;
    }, 'every stage change on the wire');
    expect(changes.map((e) => (e.data as { sequence: number }).sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(wire.invalid).toEqual([]);
  });
});
