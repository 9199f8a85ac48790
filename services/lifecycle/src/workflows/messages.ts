import type {
  Actor,
  CriterionScore,
  DecisionBody,
  EligibilityReason,
  PendingTask,
  PilotStage,
  SubmissionReceipt,
  SubmittedApplication,
  TeamMember,
} from '@s3p/contracts';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ScoringRules } from '../domain/scoring';

/**
 * What the pilot workflow and its clients share (the samples' shared.ts layout). Types only from
 * elsewhere: the workflow bundle may not pull in Node built-ins, drivers or the NUTS data.
 */

export const pilotWorkflowType = 'pilot';
/** One workflow per submitted application: a redelivered `application.submitted` starts nothing twice. */
export const workflowIdOf = (applicationId: string) => applicationId;

/** How long people have, in milliseconds, and when a deadline given as a day falls due. */
export interface PilotTiming {
  reviewPeriodMs: number;
  reviewReminderBeforeMs: number;
  milestoneReminderBeforeMs: number;
  /** `HH:MM:SS`, UTC. */
  deadlineTimeUtc: string;
  /** Waiting for more reviewers in the pool, the workflow looks again this often. */
  poolRetryMs: number;
  /** How long approvers have before the programme manager hears of a pending decision (absent in pilots started before it existed). */
  decisionPeriodMs?: number;
}

export interface PilotInput {
  application: SubmittedApplication;
  receipt: SubmissionReceipt;
  timing: PilotTiming;
  correlationId: string;
  /** The state carried over a continue-as-new. */
  carried?: PilotState;
}

export interface StageChange {
  sequence: number;
  from: PilotStage | null;
  to: PilotStage;
  at: string;
  actor: Actor;
  reason: string;
  reasons?: EligibilityReason[];
  dueAt?: string;
}

export interface Review {
  scores: CriterionScore[];
  comment?: string;
  weightedScore: number;
  at: string;
}

/** One reviewer's seat on a pilot, in one round of evaluation (a resubmission opens a new round). */
export interface Seat {
  reviewer: string;
  round: number;
  assignedAt: string;
  dueAt: string;
  /** Whether the reviewer declared a conflict of interest for this application, and when. */
  declaration?: { conflict: boolean; statement: string; at: string };
  review?: Review;
  reminded?: boolean;
  escalated?: boolean;
  /** Left the seat after declaring a conflict. */
  vacated?: boolean;
}

export interface Decision {
  approver: string;
  decision: DecisionBody['decision'];
  reasons: string;
  at: string;
  conditions?: string[];
  dueAt?: string;
  conditionsMet?: { by: string; statement: string; at: string };
}

export type MilestoneStatus = 'planned' | 'accepted' | 'rejected';

export interface MilestoneState {
  index: number;
  title: string;
  dueDate: string;
  dueAt: string;
  status: MilestoneStatus;
  reminded: boolean;
  overdue: boolean;
  note?: string;
}

export interface PilotState {
  pilotId: string;
  stage: PilotStage;
  sequence: number;
  history: StageChange[];
  application: SubmittedApplication;
  receipt: SubmissionReceipt;
  /** `expertTeamSize` is absent in pilots whose call was read before teams had a size. */
  rules?: ScoringRules & { reviewersPerApplication: number; expertTeamSize?: number };
  round: number;
  seats: Seat[];
  /** Seats the pool could not fill yet. */
  missingSeats: number;
  consensus?: { by?: string; review?: Review; dueAt: string; reminded?: boolean; escalated?: boolean };
  score?: number;
  /** When the decision is due, and whether its lateness went to the programme manager. */
  decisionDue?: { dueAt: string; escalated: boolean };
  decision?: Decision;
  team?: { teamId: string; members: TeamMember[]; assignedAt: string };
  milestones: MilestoneState[];
  /** Ids of the events already taken in from Kafka (the newest few hundred). */
  seenEvents: string[];
}

/** What `GET /api/pilots/{id}` answers, before the HTTP layer hides what a caller may not see. */
export interface PilotView {
  pilotId: string;
  callId: string;
  pilotType: SubmittedApplication['pilotType'];
  region: string;
  partners: string[];
  title: string;
  stage: PilotStage;
  submissionVersion: number;
  /** The round of evaluation: seats of earlier rounds are kept, but no longer count. */
  round: number;
  history: StageChange[];
  pendingTasks: PendingTask[];
  seats: Seat[];
  consensus?: PilotState['consensus'];
  score?: number;
  passThreshold?: number;
  decision?: Decision;
  team?: PilotState['team'];
  milestones: MilestoneState[];
}

/** Who sends a human step, from the verified token. */
export interface Sender {
  actor: Actor & { kind: 'user' };
  region?: string;
}

export interface ConflictDeclaration {
  by: Sender;
  conflict: boolean;
  statement: string;
}
export interface ReviewSubmission {
  by: Sender;
  scores: CriterionScore[];
  comment?: string;
}
export interface DecisionRequest {
  by: Sender;
  body: DecisionBody;
}
export interface ConditionsConfirmation {
  by: Sender;
  statement: string;
}
export interface RevisionRequest {
  by: Sender;
  submissionVersion: number;
  note?: string;
}

export interface Withdrawal {
  eventId: string;
  actor: Actor;
  reason?: string;
}
export interface TeamAssignment {
  eventId: string;
  teamId: string;
  members: TeamMember[];
  assignedAt: string;
}
export interface MilestoneVerdict {
  eventId: string;
  milestone: number;
  verdict: 'accepted' | 'rejected';
  note?: string;
  actor: Actor;
}
export interface FinalReportAcceptance {
  eventId: string;
  actor: Actor;
}

export const declareConflictUpdate = defineUpdate<PilotView, [ConflictDeclaration]>('declareConflict');
export const submitReviewUpdate = defineUpdate<PilotView, [ReviewSubmission]>('submitReview');
export const submitConsensusUpdate = defineUpdate<PilotView, [ReviewSubmission]>('submitConsensus');
export const decideUpdate = defineUpdate<PilotView, [DecisionRequest]>('decide');
export const confirmConditionsUpdate = defineUpdate<PilotView, [ConditionsConfirmation]>('confirmConditions');
export const resubmitUpdate = defineUpdate<PilotView, [RevisionRequest]>('resubmit');

export const withdrawSignal = defineSignal<[Withdrawal]>('withdraw');
export const teamAssignedSignal = defineSignal<[TeamAssignment]>('teamAssigned');
export const milestoneVerifiedSignal = defineSignal<[MilestoneVerdict]>('milestoneVerified');
export const finalReportAcceptedSignal = defineSignal<[FinalReportAcceptance]>('finalReportAccepted');
/** The reviewer pool changed: a pilot short of reviewers looks again. */
export const poolChangedSignal = defineSignal<[]>('poolChanged');

export const pilotQuery = defineQuery<PilotView>('pilot');

/** Failure types an update's handler throws, which the HTTP layer turns into answers. */
export const failureTypes = {
  budgetRefused: 'BudgetRefused',
  submissionNotFound: 'SubmissionNotFound',
  conflict: 'StepConflict',
} as const;
