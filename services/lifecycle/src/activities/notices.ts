import type { Actor, PendingTask, SubmittedApplication } from '@s3p/contracts';
import type { PilotView, StageChange } from '../workflows/messages';

/**
 * What the workflow asks to be said on `lifecycle.events`: the activity that records it builds
 * and validates the event, with the id the workflow chose, so that a retried activity says it
 * once. Plain data: it crosses into the workflow's history.
 */
export type Notice =
  | { type: 'lifecycle.stage-changed'; change: StageChange }
  | { type: 'lifecycle.reviewers-assigned'; reviewers: string[]; dueAt: string }
  | { type: 'lifecycle.conflict-declared'; reviewer: string; conflict: boolean; statement: string }
  | { type: 'lifecycle.review-submitted'; reviewer: string; weightedScore: number; consensus: boolean }
  | { type: 'lifecycle.task-reminded'; task: PendingTask; escalated: boolean }
  | {
      type: 'lifecycle.decision-taken';
      approver: string;
      decision: 'approve' | 'approve-with-conditions' | 'reject' | 'revise';
      reasons: string;
      score: number;
      conditions?: string[];
      dueAt?: string;
    }
  | { type: 'pilot.approved'; amount: number; approvedAt: string; expertTeamSize?: number }
  | { type: 'lifecycle.milestone-overdue'; milestone: number; title: string; dueDate: string };

/** The pilot as lists read it (the reviewers' tasks, the approvers' queue): kept beside its events. */
export interface PilotSummary {
  stage: StageChange['to'];
  sequence: number;
  callId: string;
  pilotType: SubmittedApplication['pilotType'];
  region: string;
  partners: string[];
  title: string;
  submissionVersion: number;
  score?: number;
  reviewers: string[];
  updatedAt: string;
  /** What the pilot's query answered when this was recorded: read when its workflow is gone. */
  view: PilotView;
}

export interface RecordRequest {
  pilotId: string;
  eventId: string;
  correlationId: string;
  actor: Actor;
  occurredAt: string;
  notice: Notice;
  application: SubmittedApplication;
  summary: PilotSummary;
}
