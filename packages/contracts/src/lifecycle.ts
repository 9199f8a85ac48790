import { z } from 'zod';
import type { ApplicationStatus } from './applications';
import { supportArea } from './applications';
import { envelope } from './events/envelope';
import { memberState } from './values/country';
import { euroCents } from './values/money';
import { nutsCode } from './values/nuts';
import { pilotType } from './values/pilot-type';
import { priorityDomain } from './values/priority-domain';

const text = (max: number) => z.string().trim().min(1).max(max);
const date = z.iso.date();
const timestamp = z.iso.datetime({ offset: true });

/**
 * The stages of one pilot (DESIGN.md, "Stages of one pilot"). `ineligible`, `rejected`,
 * `lapsed`, `withdrawn` and `closed` are final. `lapsed`: a revision or the conditions of an
 * approval were not met by their date.
 */
export const pilotStage = z.enum([
  'submitted',
  'eligibility',
  'ineligible',
  'evaluation',
  'consensus',
  'decision',
  'conditions',
  'revision',
  'rejected',
  'lapsed',
  'expert-team',
  'implementation',
  'final-report',
  'closed',
  'withdrawn',
]);
export type PilotStage = z.infer<typeof pilotStage>;

export const finalStages: readonly PilotStage[] = ['ineligible', 'rejected', 'lapsed', 'closed', 'withdrawn'];

/** What a region sees of its application's progress, stage by stage. */
const statusOfStage: Record<PilotStage, ApplicationStatus> = {
  submitted: 'submitted',
  eligibility: 'eligibility',
  ineligible: 'ineligible',
  evaluation: 'evaluation',
  consensus: 'evaluation',
  decision: 'decision',
  conditions: 'decision',
  revision: 'revision',
  rejected: 'rejected',
  lapsed: 'lapsed',
  'expert-team': 'approved',
  implementation: 'implementation',
  'final-report': 'implementation',
  closed: 'closed',
  withdrawn: 'withdrawn',
};

export const applicationStatusOf = (stage: PilotStage): ApplicationStatus => statusOfStage[stage];

/** A broken eligibility rule, said so that the region can act on it. */
export const eligibilityReason = z.strictObject({
  rule: z.string().min(1),
  message: z.string().min(1),
});
export type EligibilityReason = z.infer<typeof eligibilityReason>;

/** One reviewer's score on one criterion of the call. */
export const criterionScore = z.strictObject({
  criterionId: z.string().min(1).max(40),
  score: z.number().int().min(0).max(100),
  comment: text(5_000).optional(),
});
export type CriterionScore = z.infer<typeof criterionScore>;

/** `POST /api/pilots/{id}/reviews` and, in the consensus step, the agreed scores. */
export const reviewBody = z.strictObject({
  scores: z.array(criterionScore).min(1).max(20),
  comment: text(10_000).optional(),
});
export type ReviewBody = z.infer<typeof reviewBody>;

/**
 * `POST /api/pilots/{id}/conflicts`: an assigned reviewer declares, for this application, either
 * that it has a conflict of interest (it is replaced) or that it has none (it may then read the
 * application). Both are recorded with the statement.
 */
export const conflictDeclarationBody = z.strictObject({
  conflict: z.boolean(),
  statement: text(2_000),
});
export type ConflictDeclarationBody = z.infer<typeof conflictDeclarationBody>;

export const decisionKind = z.enum(['approve', 'approve-with-conditions', 'reject', 'revise']);
export type DecisionKind = z.infer<typeof decisionKind>;

/** `POST /api/pilots/{id}/decision` (approver). */
export const decisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), reasons: text(10_000) }),
  z.strictObject({
    decision: z.literal('approve-with-conditions'),
    reasons: text(10_000),
    conditions: z.array(text(2_000)).min(1).max(20),
    /** The region meets the conditions and the approver confirms by this date, or the approval lapses. */
    conditionsDueBy: date,
  }),
  z.strictObject({ decision: z.literal('reject'), reasons: text(10_000) }),
  z.strictObject({
    decision: z.literal('revise'),
    reasons: text(10_000),
    /** The region resubmits by this date, or the application lapses. */
    revisionDueBy: date,
  }),
]);
export type DecisionBody = z.infer<typeof decisionBody>;

/** `POST /api/pilots/{id}/conditions` (the approver who set them): they are met. */
export const conditionsMetBody = z.strictObject({ statement: text(2_000) });
export type ConditionsMetBody = z.infer<typeof conditionsMetBody>;

/**
 * `POST /api/pilots/{id}/revision` (the lead region): which of its resubmissions answers the
 * request for revision. The content itself is resubmitted through the applications service,
 * which owns it and freezes it with a receipt.
 */
export const revisionBody = z.strictObject({
  submissionVersion: z.number().int().min(2),
  note: text(5_000).optional(),
});
export type RevisionBody = z.infer<typeof revisionBody>;

/** `PUT /api/reviewers/{id}` (programme manager): a reviewer of the pool, by user id. */
export const reviewerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  country: memberState,
  conflicts: z
    .strictObject({
      regions: z.array(nutsCode).max(300).default([]),
      countries: z.array(memberState).max(27).default([]),
    })
    .default({ regions: [], countries: [] }),
  active: z.boolean().default(true),
});
export type ReviewerBody = z.infer<typeof reviewerBody>;

/** Something a person must do for a pilot, and by when. */
export const pendingTask = z.strictObject({
  kind: z.enum([
    'declare-conflicts',
    'review',
    'consensus',
    'decide',
    'confirm-conditions',
    'resubmit',
    'assign-expert-team',
    'milestone-report',
    'final-report',
  ]),
  /** Who must act: a user's `sub`, a region's NUTS code, or a role when anyone in it may. */
  assignee: z.string().min(1),
  dueAt: timestamp.optional(),
  /** For a milestone report: which milestone of the work plan (0-based). */
  milestone: z.number().int().min(0).optional(),
});
export type PendingTask = z.infer<typeof pendingTask>;

/** The facts of a pilot that its events carry, so that consumers need not ask for them. */
const pilotFacts = {
  pilotId: z.string().min(1),
  callId: z.string().min(1),
  pilotType,
  region: nutsCode,
  partners: z.array(nutsCode),
};

const pilotApprovedV1 = z.strictObject({
  ...pilotFacts,
  /** Member states of the region and its partners: no expert from these. */
  countries: z.array(memberState).min(1),
  priorityDomains: z.array(priorityDomain),
  amount: euroCents,
  approvedAt: timestamp,
});

export const lifecycleEvents = {
  /** Every change of stage, with its reason; the actor is the envelope's. */
  stageChanged: envelope(
    'lifecycle.stage-changed',
    1,
    z.strictObject({
      ...pilotFacts,
      /** The pilot's nth change of stage: a consumer applies a change only over an earlier one. */
      sequence: z.number().int().min(1),
      from: pilotStage.nullable(),
      to: pilotStage,
      reason: text(10_000),
      /** Why an application is ineligible, rule by rule. */
      reasons: z.array(eligibilityReason).optional(),
      /** The stage's deadline, when it has one (a revision, conditions). */
      dueAt: timestamp.optional(),
    }),
  ),
  reviewersAssigned: envelope(
    'lifecycle.reviewers-assigned',
    1,
    z.strictObject({ pilotId: z.string(), reviewers: z.array(z.string()).min(1), dueAt: timestamp }),
  ),
  conflictDeclared: envelope(
    'lifecycle.conflict-declared',
    1,
    z.strictObject({
      pilotId: z.string(),
      reviewer: z.string(),
      conflict: z.boolean(),
      statement: text(2_000),
      /** Who takes over when there is a conflict; null when nobody is left in the pool. */
      replacement: z.string().nullable().optional(),
    }),
  ),
  reviewSubmitted: envelope(
    'lifecycle.review-submitted',
    1,
    z.strictObject({
      pilotId: z.string(),
      reviewer: z.string(),
      /** Weighted score in percent of the maximum. */
      weightedScore: z.number().min(0).max(100),
      consensus: z.boolean(),
    }),
  ),
  /** A reminder before a deadline, or an escalation to the programme manager after it. */
  taskReminded: envelope(
    'lifecycle.task-reminded',
    1,
    z.strictObject({
      pilotId: z.string(),
      task: pendingTask,
      escalated: z.boolean(),
    }),
  ),
  decisionTaken: envelope(
    'lifecycle.decision-taken',
    1,
    z.strictObject({
      pilotId: z.string(),
      approver: z.string(),
      decision: decisionKind,
      reasons: text(10_000),
      score: z.number().min(0).max(100),
      conditions: z.array(text(2_000)).optional(),
      dueAt: timestamp.optional(),
    }),
  ),
  /** The pilot is funded: the experts service proposes a team for it. */
  pilotApproved: envelope('pilot.approved', 1, pilotApprovedV1),
  /** Version 2 adds what the team is built to: the support requested and the call's team size. */
  pilotApprovedV2: envelope(
    'pilot.approved',
    2,
    pilotApprovedV1.extend({
      requestedSupport: z.array(supportArea),
      expertTeamSize: z.number().int().min(1).max(9),
    }),
  ),
  milestoneOverdue: envelope(
    'lifecycle.milestone-overdue',
    1,
    z.strictObject({
      pilotId: z.string(),
      region: nutsCode,
      milestone: z.number().int().min(0),
      title: text(200),
      dueDate: date,
    }),
  ),
} as const;
