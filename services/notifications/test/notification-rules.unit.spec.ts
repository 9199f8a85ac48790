import type { AnyEnvelope, PendingTask } from '@s3p/contracts';
import { callEvents, knownEventTypes, pendingTask } from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';
import type { Notice, PilotFacts } from '../src/domain/notification-rules';
import {
  evaluate,
  isMandatory,
  isNotifiable,
  kindNames,
  notificationRules,
  pilotIdOf,
} from '../src/domain/notification-rules';
import {
  callPublished,
  decisionTaken,
  finalReportAccepted,
  finalReportRejected,
  invitationAnswered,
  invitationReminded,
  memberInvited,
  milestoneOverdue,
  milestoneVerified,
  reviewersAssigned,
  stageChanged,
  submitted,
  taskReminded,
} from './events';

const pilot: PilotFacts = {
  pilotId: 'app-1',
  region: 'BG41',
  partners: ['EL30', 'SE33'],
  title: 'Smart manufacturing transition',
  milestones: ['Skills academy opens', 'First cohort graduates'],
};

/** The notices of an event, given the pilot's facts (`undefined`: not known yet). */
function noticesOf(event: AnyEnvelope, facts: PilotFacts | undefined): Notice[] {
  const evaluation = evaluate(event, facts);
  if (!('notices' in evaluation)) throw new Error(`waiting for pilot ${evaluation.waitingFor}`);
  return evaluation.notices;
}

function onlyNotice(event: AnyEnvelope, facts: PilotFacts | undefined): Notice {
  const notices = noticesOf(event, facts);
  expect(notices).toHaveLength(1);
  return notices[0]!;
}

describe('the table of notices, row by row', () => {
  it('a published call tells every region of the eligible member states, with its closing date', () => {
    expect(onlyNotice(callPublished('call-7', ['BG', 'SE']), undefined)).toEqual({
      kind: 'call-published',
      audiences: [{ regionsOf: ['BG', 'SE'] }],
      facts: {
        callId: 'call-7',
        callTitle: 'Smart specialisation pilots 2026',
        pilotType: 'industrial-transition',
        closesAt: '2026-03-10T21:59:59.000Z',
      },
      path: '/calls/call-7',
    });
  });

  it('a submission gives the lead region its receipt', () => {
    expect(onlyNotice(submitted('app-1', { partners: ['EL30'], version: 2 }), undefined)).toEqual({
      kind: 'application-submitted',
      audiences: [{ region: 'BG41' }],
      facts: {
        pilotId: 'app-1',
        pilotTitle: 'Smart manufacturing transition',
        callId: 'call-1',
        submissionVersion: 2,
        contentHash: 'ab'.repeat(32),
        submittedAt: '2026-01-15T09:30:00.000Z',
      },
      path: '/applications/app-1',
    });
  });

  it('assigned reviewers are told each, by their sub, with the title when the pilot is known', () => {
    const event = reviewersAssigned('app-1', ['reviewer1', 'reviewer4']);
    expect(onlyNotice(event, pilot)).toEqual({
      kind: 'reviewers-assigned',
      audiences: [{ user: 'reviewer1' }, { user: 'reviewer4' }],
      facts: { pilotId: 'app-1', pilotTitle: pilot.title, dueAt: '2026-02-01T16:00:00.000Z' },
      path: '/pilots/app-1',
    });
    // Its recipients are in the event: it never waits for the pilot.
    expect(onlyNotice(event, undefined).facts).toEqual({
      pilotId: 'app-1',
      dueAt: '2026-02-01T16:00:00.000Z',
    });
  });

  describe('reminders and escalations of the lifecycle, for every task kind', () => {
    const assigneeOf: Record<PendingTask['kind'], string> = {
      'declare-conflicts': 'reviewer1',
      review: 'reviewer2',
      consensus: 'reviewer3',
      decide: 'approver',
      'confirm-conditions': 'approver1',
      resubmit: 'BG41',
      'assign-expert-team': 'programme-manager',
      'milestone-report': 'BG41',
      'final-report': 'BG41',
    };
    const expected = (kind: PendingTask['kind'], escalated: boolean) => {
      const review = ['declare-conflicts', 'review', 'consensus'].includes(kind);
      if (escalated) return review ? 'review-overdue' : 'task-overdue';
      return review ? 'review-due' : kind === 'milestone-report' ? 'milestone-due' : 'task-due';
    };
    const cases = pendingTask.shape.kind.options.flatMap((kind) =>
      [false, true].map((escalated) => [kind, escalated, expected(kind, escalated)] as const),
    );

    it.each(cases)('%s, escalated %s: exactly one %s', (kind, escalated, notified) => {
      const task = { kind, assignee: assigneeOf[kind], dueAt: '2026-02-01T16:00:00.000Z', milestone: 1 };
      const notice = onlyNotice(taskReminded('app-1', task, escalated), pilot);
      expect(notice.kind).toBe(notified);
      // An escalation goes to the programme managers; a reminder to whoever must act.
      const assignee = assigneeOf[kind];
      const audience = ['approver', 'programme-manager'].includes(assignee)
        ? { role: assignee }
        : /^[A-Z]{2}\d\d$/.test(assignee)
          ? { region: assignee }
          : { user: assignee };
      expect(notice.audiences).toEqual(escalated ? [{ role: 'programme-manager' }] : [audience]);
    });

    it('a review overdue names the late reviewer to the programme managers', () => {
      const task = { kind: 'review' as const, assignee: 'reviewer2', dueAt: '2026-02-01T16:00:00.000Z' };
      expect(onlyNotice(taskReminded('app-1', task, true), pilot).facts).toEqual({
        pilotId: 'app-1',
        pilotTitle: pilot.title,
        task: 'review',
        reviewer: 'reviewer2',
        dueAt: '2026-02-01T16:00:00.000Z',
      });
    });

    it("a milestone due names the milestone from the pilot's work plan", () => {
      const task = {
        kind: 'milestone-report' as const,
        assignee: 'BG41',
        dueAt: '2026-05-30T23:59:59.000Z',
        milestone: 1,
      };
      expect(onlyNotice(taskReminded('app-1', task, false), pilot)).toEqual({
        kind: 'milestone-due',
        audiences: [{ region: 'BG41' }],
        facts: {
          pilotId: 'app-1',
          pilotTitle: pilot.title,
          milestone: 1,
          milestoneTitle: 'First cohort graduates',
          dueAt: '2026-05-30T23:59:59.000Z',
        },
        path: '/pilots/app-1/milestones',
      });
    });
  });

  it('a decision tells the lead region and its partners, once the pilot is known', () => {
    const event = decisionTaken('app-1');
    expect(evaluate(event, undefined)).toEqual({ waitingFor: 'app-1' });
    expect(onlyNotice(event, pilot)).toEqual({
      kind: 'decision-taken',
      audiences: [{ region: 'BG41' }, { region: 'EL30' }, { region: 'SE33' }],
      facts: {
        pilotId: 'app-1',
        pilotTitle: pilot.title,
        decision: 'approve-with-conditions',
        reasons: 'A convincing skills strategy.',
        score: 78.25,
        conditions: ['Name a skills academy director'],
        dueAt: '2026-03-01T22:59:59.000Z',
      },
      path: '/pilots/app-1',
    });
  });

  it('an expert invited to a team is told, with the date to answer by', () => {
    expect(onlyNotice(memberInvited('app-1', 'expert04', true), pilot)).toEqual({
      kind: 'team-invitation',
      audiences: [{ user: 'expert04' }],
      facts: {
        pilotId: 'app-1',
        pilotTitle: pilot.title,
        assignmentId: 'app-1-expert04',
        lead: true,
        dueAt: '2026-04-05T10:00:00.000Z',
      },
      path: '/assignments/app-1-expert04',
    });
  });

  it('an invitation about to lapse reminds its expert', () => {
    const notice = onlyNotice(invitationReminded('app-1', 'expert24'), undefined);
    expect(notice).toMatchObject({ kind: 'invitation-lapsing', audiences: [{ user: 'expert24' }] });
    expect(notice.facts).toEqual({
      pilotId: 'app-1',
      assignmentId: 'app-1-expert24',
      dueAt: '2026-04-05T10:00:00.000Z',
    });
  });

  it('a lapsed invitation tells its expert; an accepted or declined one tells nobody', () => {
    expect(onlyNotice(invitationAnswered('app-1', 'expert24', 'lapsed'), pilot)).toMatchObject({
      kind: 'invitation-lapsed',
      audiences: [{ user: 'expert24' }],
      path: '/assignments',
    });
    expect(noticesOf(invitationAnswered('app-1', 'expert24', 'accepted'), pilot)).toEqual([]);
    expect(noticesOf(invitationAnswered('app-1', 'expert24', 'declined'), pilot)).toEqual([]);
  });

  it('a milestone overdue tells the region the event names and the auditors', () => {
    expect(onlyNotice(milestoneOverdue('app-1', 'BG41'), undefined)).toEqual({
      kind: 'milestone-overdue',
      audiences: [{ region: 'BG41' }, { role: 'auditor' }],
      facts: {
        pilotId: 'app-1',
        milestone: 1,
        milestoneTitle: 'First cohort graduates',
        dueDate: '2026-05-30',
      },
      path: '/pilots/app-1/milestones',
    });
  });

  it("a milestone report's verdict tells the lead region, once the pilot is known", () => {
    const accepted = milestoneVerified('app-1', 'accepted');
    expect(evaluate(accepted, undefined)).toEqual({ waitingFor: 'app-1' });
    expect(onlyNotice(accepted, pilot)).toEqual({
      kind: 'report-verified',
      audiences: [{ region: 'BG41' }],
      facts: {
        pilotId: 'app-1',
        pilotTitle: pilot.title,
        milestone: 0,
        milestoneTitle: 'Skills academy opens',
      },
      path: '/pilots/app-1/milestones',
    });
    expect(onlyNotice(milestoneVerified('app-1', 'rejected', 'The deliverable is missing.'), pilot)).toEqual({
      kind: 'report-rejected',
      audiences: [{ region: 'BG41' }],
      facts: {
        pilotId: 'app-1',
        pilotTitle: pilot.title,
        milestone: 0,
        milestoneTitle: 'Skills academy opens',
        note: 'The deliverable is missing.',
      },
      path: '/pilots/app-1/milestones',
    });
  });

  it('the final report accepted tells the lead and partner regions; rejected, the lead region with the note', () => {
    expect(evaluate(finalReportAccepted('app-1'), undefined)).toEqual({ waitingFor: 'app-1' });
    expect(onlyNotice(finalReportAccepted('app-1'), pilot)).toEqual({
      kind: 'report-verified',
      audiences: [{ region: 'BG41' }, { region: 'EL30' }, { region: 'SE33' }],
      facts: { pilotId: 'app-1', pilotTitle: pilot.title },
      path: '/pilots/app-1/final-report',
    });
    expect(onlyNotice(finalReportRejected('app-1', 'The budget annex is missing.'), pilot)).toEqual({
      kind: 'report-rejected',
      audiences: [{ region: 'BG41' }],
      facts: { pilotId: 'app-1', pilotTitle: pilot.title, note: 'The budget annex is missing.' },
      path: '/pilots/app-1/final-report',
    });
  });
});

describe('the table as a whole', () => {
  it('gives every kind from some row, and names every row by a known event type', () => {
    expect(new Set(notificationRules.map((r) => r.kind))).toEqual(new Set(kindNames));
    for (const r of notificationRules) {
      expect(knownEventTypes()).toContain(`${r.type}@${r.version}`);
      expect(r.recipients.length).toBeGreaterThan(0);
    }
  });

  it('says which kinds are mandatory: what must be acted on or kept as proof', () => {
    expect(kindNames.filter(isMandatory)).toEqual([
      'application-submitted',
      'reviewers-assigned',
      'review-overdue',
      'decision-taken',
      'team-invitation',
      'milestone-overdue',
      'report-rejected',
      'task-overdue',
    ]);
  });

  it('reads no other event, and no other version of its events', () => {
    const closed = newEvent(callEvents.closed, {
      source: 'calls',
      subject: 'call-7',
      actor: { kind: 'system', name: 'calls' },
      data: { callId: 'call-7', closedAt: '2026-03-10T22:00:00.000Z', reason: 'deadline' },
    });
    expect(isNotifiable(closed)).toBe(false);
    expect(isNotifiable(stageChanged('app-1'))).toBe(false);
    expect(evaluate(stageChanged('app-1'), pilot)).toEqual({ notices: [] });
    expect(isNotifiable({ ...decisionTaken('app-1'), version: 2 })).toBe(false);
    expect(isNotifiable(decisionTaken('app-1'))).toBe(true);
  });

  it('finds the pilot an event is about', () => {
    expect(pilotIdOf(decisionTaken('app-9'))).toBe('app-9');
    expect(pilotIdOf(memberInvited('app-9', 'expert01'))).toBe('app-9');
    expect(pilotIdOf(finalReportAccepted('app-9'))).toBe('app-9');
    expect(pilotIdOf(callPublished('call-1', ['BG']))).toBeUndefined();
  });
});
