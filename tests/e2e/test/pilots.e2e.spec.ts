import type { AnyEnvelope } from '@s3p/contracts';
import type { User } from './support/client';
import { applicationDraft, callDraft, eventually, signIn } from './support/client';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';
import type { Tap } from './support/wire';
import { tap } from './support/wire';

let platform: Platform;
let wire: Tap;
let manager: User;
let approver: User;
let bulgaria: User;
let greece: User;
let poland: User;
let auditor: User;

/** The demo reviewers: none from a member state of the regions applying here (BG, GR). */
const pool = [
  { id: 'reviewer1', name: 'Reviewer One', country: 'NL' },
  { id: 'reviewer2', name: 'Reviewer Two', country: 'AT' },
  { id: 'reviewer3', name: 'Reviewer Three', country: 'IE' },
  { id: 'reviewer4', name: 'Reviewer Four', country: 'DK' },
  { id: 'reviewer5', name: 'Reviewer Five', country: 'LU' },
];

/** Demo experts (they sign in as such), with enough capacity for a team of three for each pilot here. */
const manufacturing = { kind: 'economic', naceSection: 'C' };
const experts = [
  {
    id: 'expert01',
    country: 'ES',
    languages: ['es', 'en'],
    domains: [manufacturing],
    supportAreas: ['skills'],
  },
  {
    id: 'expert02',
    country: 'IT',
    languages: ['it', 'en'],
    domains: [manufacturing],
    supportAreas: ['innovation-capacity', 'interregional-value-chains'],
  },
  { id: 'expert03', country: 'NL', languages: ['nl', 'en'], supportAreas: ['innovation-capacity', 'skills'] },
  {
    id: 'expert04',
    country: 'SE',
    languages: ['sv', 'en'],
    domains: [manufacturing],
    supportAreas: ['skills'],
  },
].map((expert) => ({ ...expert, capacity: 2 }));

beforeAll(async () => {
  platform = await startPlatform('e2e-pilots');
  wire = await tap(
    ['lifecycle', 'experts', 'reporting'].map((topic) => `${platform.topicPrefix}${topic}.events`),
  );
  const as = (username: string) => signIn(platform.portal, username);
  [manager, approver, bulgaria, greece, poland] = await Promise.all([
    as('manager'),
    as('approver1'),
    as('region-bg41'),
    as('region-el30'),
    as('region-pl91'),
  ]);
  auditor = await as('auditor');
  for (const { id, ...reviewer } of pool) {
    const answer = await manager.request('PUT', `/api/reviewers/${id}`, reviewer);
    expect(answer.status).toBe(201);
  }
  for (const expert of experts) {
    const answer = await manager.request('POST', '/api/experts', { name: `Expert ${expert.id}`, ...expert });
    expect(answer.status).toBe(201);
  }
});

afterAll(async () => {
  await wire?.stop();
  await platform?.stop();
});

type Seat = { reviewer: string; round: number; vacated?: boolean; review?: { weightedScore: number } };
type Pilot = {
  pilotId: string;
  stage: string;
  seats: Seat[];
  score?: number;
  pendingTasks: { kind: string; assignee: string }[];
  decision?: { decision: string };
};
type TeamMember = { expertId: string; assignmentId: string; status: string; lead: boolean };
type Team = { phase: string; members: TeamMember[]; explanation?: { passedOver: unknown[] } };
type Call = { id: string; committedBudget: number; remainingBudget: number; totalBudget: number };

async function openCall(body: Record<string, unknown>): Promise<Call> {
  const created = await manager.request<Call>('POST', '/api/calls', body);
  expect(created.status).toBe(201);
  const published = await manager.request<Call>('POST', `/api/calls/${created.body.id}/publish`);
  expect(published.status).toBe(200);
  return published.body;
}

/** The pilot as the manager sees it, once it is in the given stage and passes the check. */
const pilotIn = (
  id: string,
  stage: string,
  check: (pilot: Pilot) => boolean = () => true,
  timeoutMs = 30_000,
) =>
  eventually(
    async () => {
      const answer = await manager.request<Pilot>('GET', `/api/pilots/${id}`);
      return answer.status === 200 && answer.body.stage === stage && check(answer.body)
        ? answer.body
        : undefined;
    },
    `pilot ${id} to reach ${stage}`,
    timeoutMs,
  );

const ofPilotSoFar = (id: string, type: string) =>
  wire.events.filter((e) => e.type === type && e.subject === id);

const stagesOnTheWire = (id: string) =>
  wire.events
    .filter((e) => e.type === 'lifecycle.stage-changed' && e.subject === id)
    .map((e) => e.data as { sequence: number; to: string })
    .sort((a, b) => a.sequence - b.sequence)
    .map((change) => change.to);

describe.each([
  ['industrial-transition', { partners: [] }],
  ['interregional-partnership', { partners: ['EL30'], requestedSupport: ['interregional-value-chains'] }],
] as const)(
  'a %s pilot, from submission to its expert team and implementation, through the portal',
  (pilotType, shape) => {
    it('is checked, reviewed blind, approved with its budget reserved, and kept from other regions', async () => {
      const call = await openCall(callDraft(pilotType, { reviewersPerApplication: 2 }));
      const requested = 200_000_00;
      const draft = await eventually(async () => {
        const answer = await bulgaria.request<{ id: string }>(
          'POST',
          '/api/applications',
          applicationDraft(call.id, { ...shape, budget: { total: 400_000_00, requested } }),
        );
        return answer.status === 201 ? answer.body : undefined;
      }, 'the call to reach the applications service');
      for (const partner of shape.partners) {
        const confirmed = await greece.request(
          'POST',
          `/api/applications/${draft.id}/partners/${partner}/confirm`,
        );
        expect(confirmed.status).toBe(200);
      }
      const submitted = await bulgaria.request('POST', `/api/applications/${draft.id}/submit`);
      expect([200, 201]).toContain(submitted.status);

      // Eligible, so two reviewers from the pool are seated.
      const active = (pilot: Pilot) => pilot.seats.filter((seat) => !seat.vacated);
      const evaluating = await pilotIn(draft.id, 'evaluation', (pilot) => active(pilot).length === 2);
      const seated = active(evaluating).map((seat) => seat.reviewer);
      expect(pool.map((r) => r.id)).toEqual(expect.arrayContaining(seated));
      const [first, second] = await Promise.all(seated.map((id) => signIn(platform.portal, id)));

      // A reviewer outside the panel does not see the pilot; a seated one has it in its tasks.
      const outsider = await signIn(platform.portal, pool.find((r) => !seated.includes(r.id))!.id);
      expect((await outsider.request('GET', `/api/pilots/${draft.id}`)).status).toBe(404);
      const tasks = await first!.request<{ items: { pilotId: string; state: string }[] }>(
        'GET',
        '/api/reviews?mine=true',
      );
      expect(tasks.body.items).toContainEqual(
        expect.objectContaining({ pilotId: draft.id, state: 'declare' }),
      );

      // No reading before declaring no conflict of interest.
      const locked = await first!.request('GET', `/api/pilots/${draft.id}/application`);
      expect(locked.status).toBe(403);
      expect(locked.headers.get('content-type')).toContain('application/problem+json');
      for (const reviewer of [first!, second!]) {
        const declared = await reviewer.request('POST', `/api/pilots/${draft.id}/conflicts`, {
          conflict: false,
          statement: 'I have no tie to the regions of this application.',
        });
        expect(declared.status).toBe(201);
      }
      const content = await first!.request<{ application: { title: string; region: string } }>(
        'GET',
        `/api/pilots/${draft.id}/application`,
      );
      expect(content.status).toBe(200);
      expect(content.body.application).toMatchObject({
        title: 'Smart manufacturing transition',
        region: 'BG41',
      });

      // Scores out of the call's range are refused at the field, and change nothing.
      const outOfRange = await first!.request<{ errors?: { path: string }[] }>(
        'POST',
        `/api/pilots/${draft.id}/reviews`,
        {
          scores: [
            { criterionId: 'relevance', score: 9 },
            { criterionId: 'quality', score: 4 },
          ],
        },
      );
      expect(outOfRange.status).toBe(422);
      expect(JSON.stringify(outOfRange.body)).toContain('scores.0.score');

      const scores = [
        { criterionId: 'relevance', score: 4 },
        { criterionId: 'quality', score: 4 },
      ];
      expect((await first!.request('POST', `/api/pilots/${draft.id}/reviews`, { scores })).status).toBe(201);
      // The second reviewer, its review not in, sees neither who the first is nor what it scored.
      const blind = await second!.request<Pilot>('GET', `/api/pilots/${draft.id}`);
      expect(JSON.stringify(blind.body)).not.toContain(seated[0]);
      expect(blind.body.seats.some((seat) => seat.review)).toBe(false);
      const again = await first!.request('POST', `/api/pilots/${draft.id}/reviews`, { scores });
      expect(again.status).toBe(409);
      expect((await second!.request('POST', `/api/pilots/${draft.id}/reviews`, { scores })).status).toBe(201);

      const deciding = await pilotIn(draft.id, 'decision');
      expect(deciding.score).toBe(80);
      expect(deciding.pendingTasks).toEqual([
        expect.objectContaining({ kind: 'decide', assignee: 'approver' }),
      ]);

      // The region follows its pilot, but never learns who reviewed it; another region does not see it.
      const asRegion = await bulgaria.request<Pilot>('GET', `/api/pilots/${draft.id}`);
      expect(asRegion.status).toBe(200);
      expect(asRegion.body.seats.map((seat) => seat.reviewer).sort()).toEqual(['reviewer-1', 'reviewer-2']);
      for (const id of seated) expect(JSON.stringify(asRegion.body)).not.toContain(id);
      expect((await poland.request('GET', `/api/pilots/${draft.id}`)).status).toBe(404);
      const polandsPilots = await poland.request<{ items: { pilotId: string }[] }>('GET', '/api/pilots');
      expect(polandsPilots.body.items.map((p) => p.pilotId)).not.toContain(draft.id);
      if (shape.partners.length > 0) {
        expect((await greece.request('GET', `/api/pilots/${draft.id}`)).status).toBe(200);
      }

      // Only an approver decides.
      const byRegion = await bulgaria.request('POST', `/api/pilots/${draft.id}/decision`, {
        decision: 'approve',
        reasons: 'We approve ourselves.',
      });
      expect(byRegion.status).toBe(403);
      const approved = await approver.request<Pilot>('POST', `/api/pilots/${draft.id}/decision`, {
        decision: 'approve',
        reasons: 'A clear plan with a credible budget.',
      });
      expect(approved.status).toBe(201);
      expect(approved.body.stage).toBe('expert-team');

      // The approval reserved the request against the call's budget.
      const afterApproval = await manager.request<Call>('GET', `/api/calls/${call.id}`);
      expect(afterApproval.body.committedBudget).toBe(requested);
      expect(afterApproval.body.remainingBudget).toBe(afterApproval.body.totalBudget - requested);

      // The applications service follows the pilot's stage from the lifecycle's events.
      await eventually(async () => {
        const answer = await bulgaria.request<{ status: string }>('GET', `/api/applications/${draft.id}`);
        return answer.body.status === 'approved';
      }, 'the application to be approved');

      // The experts service proposes a team of the call's size; each member accepts through the portal.
      const proposed = await eventually(async () => {
        const answer = await manager.request<Team>('GET', `/api/pilots/${draft.id}/team`);
        return answer.status === 200 && answer.body.phase === 'inviting' ? answer.body : undefined;
      }, 'the team to be proposed');
      expect(proposed.members).toHaveLength(3);
      expect(proposed.members.filter((m) => m.lead)).toHaveLength(1);
      for (const member of proposed.members) {
        const expert = await signIn(platform.portal, member.expertId);
        const mine = await expert.request<{ items: { id: string }[] }>('GET', '/api/assignments?mine=true');
        expect(mine.body.items.map((a) => a.id)).toContain(member.assignmentId);
        const accepted = await expert.request('POST', `/api/assignments/${member.assignmentId}/accept`);
        expect(accepted.status).toBe(200);
      }
      const implementing = await pilotIn(draft.id, 'implementation');
      expect(implementing.pendingTasks.map((task) => task.kind)).toContain('milestone-report');
      const regionTeam = await bulgaria.request<Team>('GET', `/api/pilots/${draft.id}/team`);
      expect(regionTeam.status).toBe(200);
      expect(regionTeam.body.members.map((m) => m.expertId).sort()).toEqual(
        proposed.members.map((m) => m.expertId).sort(),
      );
      expect(regionTeam.body.explanation?.passedOver).toEqual([]);
      expect((await poland.request('GET', `/api/pilots/${draft.id}/team`)).status).toBe(404);

      const stages = await eventually(async () => {
        const seen = stagesOnTheWire(draft.id);
        return seen.at(-1) === 'implementation' ? seen : undefined;
      }, 'the stage changes on the wire');
      expect(stages).toEqual([
        'submitted',
        'eligibility',
        'evaluation',
        'decision',
        'expert-team',
        'implementation',
      ]);
      // Another topic: the tap may read it a moment after the lifecycle's.
      await eventually(
        async () => ofPilotSoFar(draft.id, 'expert-team.assigned').length === 1,
        'expert-team.assigned on the wire',
      );
      const ofPilot = (type: string) =>
        wire.events.filter((e: AnyEnvelope) => e.type === type && e.subject === draft.id);
      expect(ofPilot('lifecycle.review-submitted')).toHaveLength(2);
      expect(ofPilot('lifecycle.decision-taken')).toHaveLength(1);
      expect(ofPilot('pilot.approved')[0]?.data).toMatchObject({ amount: requested, region: 'BG41' });

      // Implementation: the region reports on each milestone, an auditor verifies; one report is
      // sent back once. Then the final report, and the pilot closes.
      const milestones = await eventually(async () => {
        const answer = await bulgaria.request<{ items: { id: string; index: number }[] }>(
          'GET',
          `/api/pilots/${draft.id}/milestones`,
        );
        return answer.status === 200 && answer.body.items.length === 2 ? answer.body.items : undefined;
      }, 'the milestones of the work plan');
      expect((await poland.request('GET', `/api/pilots/${draft.id}/milestones`)).status).toBe(404);
      const file = await bulgaria.request<{ id: string; sha256: string }>(
        'POST',
        `/api/pilots/${draft.id}/files?name=progress.txt`,
        'The academy opened with 40 trainees.',
        { 'content-type': 'text/plain' },
      );
      expect(file.status).toBe(201);
      for (const milestone of milestones) {
        const report = (summary: string) =>
          bulgaria.request('POST', `/api/milestones/${milestone.id}/reports`, {
            summary,
            deliverables: [`Deliverable of milestone ${milestone.index + 1}`],
            files: [file.body.id],
          });
        expect((await report('Done as planned.')).status).toBe(201);
        if (milestone.index === 0) {
          const sentBack = await auditor.request('POST', `/api/milestones/${milestone.id}/verification`, {
            verdict: 'rejected',
            note: 'Attach the list of trainees.',
          });
          expect(sentBack.status).toBe(201);
          expect((await report('Done, with the list of trainees.')).status).toBe(201);
        }
        const accepted = await auditor.request('POST', `/api/milestones/${milestone.id}/verification`, {
          verdict: 'accepted',
        });
        expect(accepted.status).toBe(201);
      }
      await pilotIn(draft.id, 'final-report');
      const finalReport = await eventually(async () => {
        const answer = await bulgaria.request('POST', `/api/pilots/${draft.id}/final-report`, {
          summary: 'The pilot met its goals.',
          files: [file.body.id],
        });
        // The reporting service learns of the final-report stage from the lifecycle's events.
        return answer.status === 201 ? answer : undefined;
      }, 'the final report to be accepted for filing');
      expect(finalReport.status).toBe(201);
      const closing = await auditor.request('POST', `/api/pilots/${draft.id}/final-report/verification`, {
        verdict: 'accepted',
      });
      expect(closing.status).toBe(201);
      const closed = await pilotIn(draft.id, 'closed');
      expect(closed.pendingTasks).toEqual([]);
      const verdicts = await eventually(async () => {
        const seen = ofPilot('milestone.verified').map((e) => (e.data as { verdict: string }).verdict);
        return seen.length === 3 ? seen : undefined;
      }, 'the verdicts on the wire');
      expect(verdicts).toEqual(['rejected', 'accepted', 'accepted']);
      await eventually(async () => ofPilot('expert-team.released').length === 1, 'the team released');

      // Auditors and the Commission: the pilot's timeline, the figures, the audit trail, open data.
      const timeline = await eventually(async () => {
        const answer = await auditor.request<{ items: { type: string }[] }>(
          'GET',
          `/api/pilots/${draft.id}/timeline`,
        );
        const types = answer.body.items?.map((e) => e.type) ?? [];
        return types.includes('final-report.accepted') &&
          types.filter((t) => t === 'milestone.verified').length === 3
          ? types
          : undefined;
      }, 'the timeline to the end');
      expect(timeline).toEqual(
        expect.arrayContaining(['application.submitted', 'lifecycle.decision-taken', 'milestone.reported']),
      );
      expect((await bulgaria.request('GET', `/api/pilots/${draft.id}/timeline`)).status).toBe(200);
      expect((await poland.request('GET', `/api/pilots/${draft.id}/timeline`)).status).toBe(404);
      const dashboard = await manager.request<{ totals: { approved: number; budgetCommitted: number } }>(
        'GET',
        `/api/dashboard?callId=${call.id}`,
      );
      expect(dashboard.body.totals).toMatchObject({ approved: 1, budgetCommitted: requested });
      const audit = await auditor.request<{ items: { type: string }[] }>(
        'GET',
        `/api/audit?subject=${draft.id}`,
      );
      expect(audit.body.items.map((e) => e.type)).toEqual(expect.arrayContaining(['final-report.accepted']));
      const verified = await auditor.request<{ valid: boolean }>('GET', '/api/audit/verify');
      expect(verified.body.valid).toBe(true);
      const openData = await fetch(`${platform.portal}/api/open-data/calls`);
      expect(openData.status).toBe(200);
      expect(JSON.stringify(await openData.json())).toContain(call.id);
      expect(wire.invalid).toEqual([]);
    });
  },
);
