import type { AnyEnvelope, PendingTask } from '@s3p/contracts';
import { pendingTask } from '@s3p/contracts';
import fc from 'fast-check';
import type { NotificationKind, PilotFacts } from '../src/domain/notification-rules';
import { evaluate, isMandatory } from '../src/domain/notification-rules';
import {
  decisionTaken,
  finalReportAccepted,
  finalReportRejected,
  memberInvited,
  milestoneOverdue,
  milestoneVerified,
  reviewersAssigned,
  taskReminded,
} from './events';

const taskKinds = pendingTask.shape.kind.options;
const reviewTasks: readonly string[] = ['declare-conflicts', 'review', 'consensus'];

/** Any id a pilot may have: the contract asks only for one character. */
const pilotIdArb = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' });
const factsArb = (pilotId: string): fc.Arbitrary<PilotFacts> =>
  fc.record({
    pilotId: fc.constant(pilotId),
    region: fc.constant('BG41'),
    partners: fc.subarray(['EL30', 'SE33']),
    title: fc.constant('Smart manufacturing transition'),
    milestones: fc.constant(['Skills academy opens']),
  });

const taskArb: fc.Arbitrary<PendingTask> = fc.record(
  {
    kind: fc.constantFrom(...taskKinds),
    assignee: fc.constantFrom('reviewer2', 'BG41', 'programme-manager', 'approver'),
    dueAt: fc.constant('2026-03-01T22:59:59.000Z'),
    milestone: fc.nat(3),
  },
  { requiredKeys: ['kind', 'assignee'] },
);

/** Which notice a reminder gives, as the README's table words it. */
function expectedReminder(task: PendingTask, escalated: boolean): NotificationKind {
  const review = reviewTasks.includes(task.kind);
  if (escalated) return review ? 'review-overdue' : 'task-overdue';
  if (review) return 'review-due';
  return task.kind === 'milestone-report' ? 'milestone-due' : 'task-due';
}

const noticesOf = (event: AnyEnvelope, facts: PilotFacts | undefined) => {
  const evaluation = evaluate(event, facts);
  if (!('notices' in evaluation)) throw new Error(`waiting for ${evaluation.waitingFor}`);
  return evaluation.notices;
};

/** Every pilot event of the table with its pilot id, and whether its recipients come from the pilot's facts. */
const pilotEventArb = pilotIdArb.chain((pilotId) =>
  fc.tuple(
    fc.constant(pilotId),
    fc.constantFrom(
      { event: () => reviewersAssigned(pilotId, ['reviewer1']), needsPilot: false },
      { event: () => decisionTaken(pilotId), needsPilot: true },
      { event: () => memberInvited(pilotId, 'expert-1'), needsPilot: false },
      { event: () => milestoneOverdue(pilotId), needsPilot: false },
      { event: () => milestoneVerified(pilotId, 'accepted'), needsPilot: true },
      { event: () => milestoneVerified(pilotId, 'rejected', 'Add the annex.'), needsPilot: true },
      { event: () => finalReportAccepted(pilotId), needsPilot: true },
      { event: () => finalReportRejected(pilotId), needsPilot: true },
    ),
    factsArb(pilotId),
  ),
);

describe('notification rule properties', () => {
  it('gives exactly one notice per reminder, of the kind the table says, mandatory exactly when escalated', () => {
    fc.assert(
      fc.property(pilotIdArb, taskArb, fc.boolean(), (pilotId, task, escalated) => {
        const notices = noticesOf(taskReminded(pilotId, task, escalated), undefined);
        expect(notices.map((n) => n.kind)).toEqual([expectedReminder(task, escalated)]);
        expect(isMandatory(notices[0]!.kind)).toBe(escalated);
      }),
    );
  });

  it('gives exactly one notice per verdict on a milestone: verified when accepted, rejected otherwise', () => {
    fc.assert(
      fc.property(
        pilotIdArb.chain(factsArb),
        fc.constantFrom('accepted' as const, 'rejected' as const),
        (facts, verdict) => {
          const notices = noticesOf(milestoneVerified(facts.pilotId, verdict, 'A note.'), facts);
          expect(notices.map((n) => n.kind)).toEqual([
            verdict === 'accepted' ? 'report-verified' : 'report-rejected',
          ]);
        },
      ),
    );
  });

  it('waits for the pilot’s facts exactly when its recipients come from them', () => {
    fc.assert(
      fc.property(pilotEventArb, ([pilotId, { event, needsPilot }]) => {
        const evaluation = evaluate(event(), undefined);
        expect(evaluation).toEqual(needsPilot ? { waitingFor: pilotId } : { notices: expect.any(Array) });
      }),
    );
  });

  it('links each notice to its pilot whatever characters the id holds, and says the same on every redelivery', () => {
    fc.assert(
      fc.property(pilotEventArb, ([pilotId, { event }, facts]) => {
        const envelope = event();
        const notices = noticesOf(envelope, facts);
        expect(notices.length).toBeGreaterThan(0);
        for (const notice of notices) {
          expect(notice.path).toMatch(/^\/[^?#\s]*$/);
          const segments = notice.path.split('/').map(decodeURIComponent);
          if (notice.path.startsWith('/pilots/')) expect(segments[2]).toBe(pilotId);
        }
        const redelivered = JSON.parse(JSON.stringify(envelope)) as AnyEnvelope;
        expect(evaluate(redelivered, facts)).toEqual(evaluate(envelope, facts));
      }),
    );
  });
});
