import type { AnyEnvelope, MemberState, PendingTask } from '@s3p/contracts';
import {
  applicationEvents,
  callEvents,
  expertEvents,
  lifecycleEvents,
  reportingEvents,
} from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';

/** The events of every service, as their owners publish them, with what the tests vary as arguments. */

const system = { kind: 'system', name: 'test' } as const;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export function callPublished(
  callId: string,
  countries: MemberState[],
  title = 'Smart specialisation pilots 2026',
) {
  return newEvent(callEvents.published, {
    source: 'calls',
    subject: callId,
    actor: { kind: 'user', sub: 'manager', roles: ['programme-manager'] },
    data: {
      call: {
        id: callId,
        status: 'open',
        pilotType: 'industrial-transition',
        title,
        summary: 'Support for regions in industrial transition.',
        eligibility: { countries, minPartners: 0, maxPartners: 0, minCountries: 1 },
        prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
        criteria: [{ id: 'relevance', name: 'Relevance', weight: 100, maxScore: 10 }],
        passThreshold: 60,
        reviewersPerApplication: 2,
        expertTeamSize: 3,
        scoreTolerance: 15,
        totalBudget: 1_000_000_00,
        perApplicationCeiling: 200_000_00,
        opensAt: inDays(-1),
        closesAt: '2026-03-10T21:59:59.000Z',
        committedBudget: 0,
      },
    },
  });
}

export function submitted(
  pilotId: string,
  options: {
    region?: string;
    partners?: string[];
    title?: string;
    version?: number;
    milestones?: string[];
  } = {},
) {
  const region = options.region ?? 'BG41';
  return newEvent(applicationEvents.submitted, {
    source: 'applications',
    subject: pilotId,
    actor: { kind: 'user', sub: `region-${region.toLowerCase()}`, roles: ['region'] },
    data: {
      application: {
        id: pilotId,
        callId: 'call-1',
        pilotType: 'industrial-transition',
        region,
        partners: options.partners ?? [],
        title: options.title ?? 'Smart manufacturing transition',
        s3Strategy: {
          contextAnalysis: 'Manufacturing employs a third of the workforce.',
          governance: 'A regional innovation council.',
          sharedVision: 'A low-carbon manufacturing region by 2030.',
          priorities: 'Advanced manufacturing and the circular economy.',
          policyMix: 'Vouchers, skills academies and an investment fund.',
          monitoring: 'Yearly indicators reviewed by the council.',
        },
        priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
        requestedSupport: ['skills'],
        supportDescription: 'Experts to help design the skills academy.',
        budget: { total: 400_000_00, requested: 200_000_00 },
        workPlan: (options.milestones ?? ['Skills academy opens', 'First cohort graduates']).map(
          (title, i) => ({
            title,
            dueDate: `2026-0${i + 4}-30`,
            deliverables: [`Deliverable ${i + 1}`],
          }),
        ),
      },
      receipt: {
        applicationId: pilotId,
        submissionVersion: options.version ?? 1,
        contentHash: 'ab'.repeat(32),
        submittedAt: '2026-01-15T09:30:00.000Z',
      },
    },
  });
}

export function stageChanged(
  pilotId: string,
  options: { region?: string; partners?: string[]; sequence?: number } = {},
) {
  return newEvent(lifecycleEvents.stageChanged, {
    source: 'lifecycle',
    subject: pilotId,
    actor: system,
    data: {
      pilotId,
      callId: 'call-1',
      pilotType: 'industrial-transition',
      region: options.region ?? 'BG41',
      partners: options.partners ?? [],
      sequence: options.sequence ?? 1,
      from: null,
      to: 'submitted',
      reason: 'submitted by the region',
    },
  });
}

export function reviewersAssigned(pilotId: string, reviewers: string[]) {
  return newEvent(lifecycleEvents.reviewersAssigned, {
    source: 'lifecycle',
    subject: pilotId,
    actor: system,
    data: { pilotId, reviewers, dueAt: '2026-02-01T16:00:00.000Z' },
  });
}

export function taskReminded(pilotId: string, task: PendingTask, escalated: boolean) {
  return newEvent(lifecycleEvents.taskReminded, {
    source: 'lifecycle',
    subject: pilotId,
    actor: system,
    data: { pilotId, task, escalated },
  });
}

export function decisionTaken(pilotId: string, reasons = 'A convincing skills strategy.') {
  return newEvent(lifecycleEvents.decisionTaken, {
    source: 'lifecycle',
    subject: pilotId,
    actor: { kind: 'user', sub: 'approver1', roles: ['approver'] },
    data: {
      pilotId,
      approver: 'approver1',
      decision: 'approve-with-conditions',
      reasons,
      score: 78.25,
      conditions: ['Name a skills academy director'],
      dueAt: '2026-03-01T22:59:59.000Z',
    },
  });
}

export function milestoneOverdue(pilotId: string, region = 'BG41') {
  return newEvent(lifecycleEvents.milestoneOverdue, {
    source: 'lifecycle',
    subject: pilotId,
    actor: system,
    data: { pilotId, region, milestone: 1, title: 'First cohort graduates', dueDate: '2026-05-30' },
  });
}

const team = (pilotId: string, expertId: string) => ({
  pilotId,
  teamId: `team-${pilotId}`,
  assignmentId: `${pilotId}-${expertId}`,
  expertId,
});

export function memberInvited(pilotId: string, expertId: string, lead = false) {
  return newEvent(expertEvents.memberInvited, {
    source: 'experts',
    subject: pilotId,
    actor: system,
    data: { ...team(pilotId, expertId), lead, covers: ['nace:C'], dueAt: '2026-04-05T10:00:00.000Z' },
  });
}

export function invitationReminded(pilotId: string, expertId: string) {
  return newEvent(expertEvents.invitationReminded, {
    source: 'experts',
    subject: pilotId,
    actor: system,
    data: { ...team(pilotId, expertId), dueAt: '2026-04-05T10:00:00.000Z' },
  });
}

export function invitationAnswered(
  pilotId: string,
  expertId: string,
  answer: 'accepted' | 'declined' | 'lapsed',
) {
  return newEvent(expertEvents.invitationAnswered, {
    source: 'experts',
    subject: pilotId,
    actor: system,
    data: { ...team(pilotId, expertId), answer, ...(answer === 'declined' ? { reason: 'No time' } : {}) },
  });
}

export function milestoneVerified(pilotId: string, verdict: 'accepted' | 'rejected', note?: string) {
  return newEvent(reportingEvents.milestoneVerified, {
    source: 'reporting',
    subject: pilotId,
    actor: { kind: 'user', sub: 'auditor', roles: ['auditor'] },
    data: {
      pilotId,
      milestone: 0,
      verdict,
      ...(note ? { note } : {}),
      verifiedAt: '2026-05-02T12:00:00.000Z',
    },
  });
}

export function finalReportAccepted(pilotId: string) {
  return newEvent(reportingEvents.finalReportAccepted, {
    source: 'reporting',
    subject: pilotId,
    actor: { kind: 'user', sub: 'auditor', roles: ['auditor'] },
    data: { pilotId, acceptedAt: '2026-09-01T12:00:00.000Z' },
  });
}

export function finalReportRejected(pilotId: string, note = 'The budget annex is missing.') {
  return newEvent(reportingEvents.finalReportRejected, {
    source: 'reporting',
    subject: pilotId,
    actor: { kind: 'user', sub: 'auditor', roles: ['auditor'] },
    data: { pilotId, note, rejectedAt: '2026-09-01T12:00:00.000Z' },
  });
}

/** An event as it was published long ago. */
export const occurredDaysAgo = <E extends AnyEnvelope>(event: E, days: number): E => ({
  ...event,
  occurredAt: new Date(Date.now() - days * 86_400_000).toISOString(),
});
