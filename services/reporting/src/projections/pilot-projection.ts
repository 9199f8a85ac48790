import type { DecisionKind, MemberState, PilotStage, PilotType } from '@s3p/contracts';
import { countryOfRegion } from '@s3p/contracts';
import type { PilotEvent } from './projected-events';
import { earliest, greater, latest, pilotIdOf, stampOf, utc, withMember } from './projected-events';

/** Who a pilot belongs to and what it is: from its newest submission, or from the lifecycle's latest word. */
interface PilotFacts {
  callId: string;
  pilotType: PilotType;
  region: string;
  partners: string[];
}

export interface PilotSubmission extends PilotFacts {
  version: number;
  title: string;
  /** What the region asks the call for, in euro cents. */
  requested: number;
  submittedAt: string;
}

/** The change of stage with the highest sequence: where the pilot stands. */
export interface PilotStanding extends PilotFacts {
  sequence: number;
  stage: PilotStage;
  since: string;
}

export interface StageChangeFact {
  sequence: number;
  from: PilotStage | null;
  to: PilotStage;
  at: string;
}

export type FinalReportStatus = 'submitted' | 'accepted' | 'rejected';

/**
 * One pilot as the read models keep it. Every field is a merge of what the events brought: the
 * greatest by version, sequence or event time, the earliest instant, the union of a set. Such
 * merges give the same document whatever the order of the events and however often each comes.
 * The fields up to `submitted` are derived from the others, for queries.
 */
export interface PilotProjection {
  _id: string;
  callId?: string;
  pilotType?: PilotType;
  region?: string;
  partners: string[];
  /** The member state of the lead region: where the figures count the pilot. */
  country?: MemberState;
  stage?: PilotStage;
  /** Submitted at least once: an application, for the figures. */
  submitted: boolean;
  submission?: PilotSubmission;
  standing?: PilotStanding;
  /** Every change of stage once, by sequence: the stays in each stage are measured from these. */
  changes: StageChangeFact[];
  /** The latest decision: a revision may come before the approval. */
  decision?: { decision: DecisionKind; approver: string; score: number; at: string; stamp: string };
  approval?: { amount: number; approvedAt: string; stamp: string };
  withdrawnAt?: string;
  /** The team's first assignment: a replacement announces the same team again. */
  team?: { teamId: string; assignedAt: string };
  /** Milestones by their place in the work plan: reported, accepted, and fallen overdue (even if reported since). */
  milestones: { reported: number[]; accepted: number[]; overdue: number[] };
  /** An accepted final report stays accepted; otherwise the latest submission or rejection. */
  finalReport?: { status: FinalReportStatus; at: string; stamp: string };
  lastEventAt: string;
}

const blankPilot = (pilotId: string): PilotProjection => ({
  _id: pilotId,
  partners: [],
  submitted: false,
  changes: [],
  milestones: { reported: [], accepted: [], overdue: [] },
  lastEventAt: '',
});

const sorted = (regions: readonly string[]) => [...regions].sort();

function withChange(changes: readonly StageChangeFact[], change: StageChangeFact): StageChangeFact[] {
  const held = changes.find((c) => c.sequence === change.sequence);
  // The lifecycle may announce a change again; the first announcement dates it.
  const kept = greater(held, change, (c) => [-Date.parse(c.at)]);
  return [...changes.filter((c) => c.sequence !== change.sequence), kept].sort(
    (a, b) => a.sequence - b.sequence,
  );
}

function withMilestone(
  pilot: PilotProjection,
  set: keyof PilotProjection['milestones'],
  milestone: number,
): PilotProjection {
  return {
    ...pilot,
    milestones: { ...pilot.milestones, [set]: withMember(pilot.milestones[set], milestone) },
  };
}

function withFact(pilot: PilotProjection, event: PilotEvent): PilotProjection {
  const at = utc(event.occurredAt);
  const stamp = stampOf(event);
  switch (event.type) {
    case 'application.submitted': {
      const { application, receipt } = event.data;
      const submission: PilotSubmission = {
        version: receipt.submissionVersion,
        callId: application.callId,
        pilotType: application.pilotType,
        region: application.region,
        partners: sorted(application.partners),
        title: application.title,
        requested: application.budget.requested,
        submittedAt: utc(receipt.submittedAt),
      };
      return { ...pilot, submission: greater(pilot.submission, submission, (s) => [s.version]) };
    }
    case 'application.withdrawn':
      return { ...pilot, withdrawnAt: earliest(pilot.withdrawnAt, utc(event.data.withdrawnAt)) };
    case 'lifecycle.stage-changed': {
      const { sequence, from, to, callId, pilotType, region, partners } = event.data;
      const standing: PilotStanding = {
        sequence,
        stage: to,
        since: at,
        callId,
        pilotType,
        region,
        partners: sorted(partners),
      };
      return {
        ...pilot,
        standing: greater(pilot.standing, standing, (s) => [s.sequence, -Date.parse(s.since)]),
        changes: withChange(pilot.changes, { sequence, from, to, at }),
      };
    }
    case 'lifecycle.decision-taken': {
      const { decision, approver, score } = event.data;
      return {
        ...pilot,
        decision: greater(pilot.decision, { decision, approver, score, at, stamp }, (d) => [d.stamp]),
      };
    }
    case 'pilot.approved': {
      const approval = { amount: event.data.amount, approvedAt: utc(event.data.approvedAt), stamp };
      return { ...pilot, approval: greater(pilot.approval, approval, (a) => [a.stamp]) };
    }
    case 'lifecycle.milestone-overdue':
      return withMilestone(pilot, 'overdue', event.data.milestone);
    case 'milestone.reported':
      return withMilestone(pilot, 'reported', event.data.milestone);
    case 'milestone.verified':
      return event.data.verdict === 'accepted'
        ? withMilestone(pilot, 'accepted', event.data.milestone)
        : pilot;
    case 'expert-team.assigned': {
      const team = { teamId: event.data.teamId, assignedAt: utc(event.data.assignedAt) };
      return { ...pilot, team: greater(pilot.team, team, (t) => [-Date.parse(t.assignedAt)]) };
    }
    case 'final-report.submitted':
      return {
        ...pilot,
        finalReport: greater(pilot.finalReport, { status: 'submitted', at, stamp }, finalReportRank),
      };
    case 'final-report.accepted':
      return {
        ...pilot,
        finalReport: greater(pilot.finalReport, { status: 'accepted', at, stamp }, finalReportRank),
      };
    case 'final-report.rejected':
      return {
        ...pilot,
        finalReport: greater(pilot.finalReport, { status: 'rejected', at, stamp }, finalReportRank),
      };
    default:
      // The reviewers' and the experts' other steps are in the timeline only.
      return pilot;
  }
}

const finalReportRank = (report: { status: FinalReportStatus; stamp: string }) => [
  report.status === 'accepted' ? 1 : 0,
  report.stamp,
];

/** The fields the queries filter and group on, from the facts held. */
function derived(pilot: PilotProjection): PilotProjection {
  const facts: PilotFacts | undefined = pilot.standing ?? pilot.submission;
  const {
    callId: _callId,
    pilotType: _pilotType,
    region: _region,
    country: _country,
    stage: _stage,
    ...rest
  } = pilot;
  return {
    ...rest,
    ...(facts
      ? {
          callId: facts.callId,
          pilotType: facts.pilotType,
          region: facts.region,
          country: countryOfRegion(facts.region),
        }
      : {}),
    partners: facts?.partners ?? [],
    ...(pilot.standing ? { stage: pilot.standing.stage } : {}),
    submitted: pilot.submission !== undefined || pilot.changes.length > 0,
  };
}

/** The pilot with one more event taken in; the same event again changes nothing. */
export function foldPilot(held: PilotProjection | undefined, event: PilotEvent): PilotProjection {
  const pilot = withFact(held ?? blankPilot(pilotIdOf(event)), event);
  return derived({ ...pilot, lastEventAt: latest(pilot.lastEventAt, utc(event.occurredAt)) });
}
