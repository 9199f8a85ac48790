import type {
  Actor,
  EuLanguage,
  MemberState,
  PriorityDomain,
  SupportArea,
  TeamRequirement,
} from '@s3p/contracts';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * What the team workflow and its clients share (the samples' shared.ts layout). Types only from
 * elsewhere: the workflow bundle may not pull in Node built-ins, drivers or reference data.
 */

export const teamWorkflowType = 'team';
/** One team per approved pilot: a redelivered `pilot.approved` starts nothing twice. */
export const workflowIdOf = (pilotId: string) => `team-${pilotId}`;

/** What the team is built to, from `pilot.approved`. */
export interface TeamNeeds {
  region: string;
  partners: string[];
  countries: MemberState[];
  priorityDomains: PriorityDomain[];
  requestedSupport: SupportArea[];
  teamSize: number;
  /** The languages of the lead region's member state. */
  languages: EuLanguage[];
}

export interface TeamTiming {
  /** How long an invited expert has to answer. */
  invitationMs: number;
  /** When an expert who has not answered is reminded, before the deadline (absent in teams started before reminders). */
  invitationReminderBeforeMs?: number;
}

export interface TeamInput {
  pilotId: string;
  teamId: string;
  callId: string;
  needs: TeamNeeds;
  timing: TeamTiming;
  correlationId: string;
  /** The state carried over a continue-as-new. */
  carried?: TeamState;
}

export type SeatStatus = 'invited' | 'accepted' | 'declined' | 'lapsed' | 'replaced' | 'released';

/** One expert's seat on the team, from its invitation; seats that ended stay as the team's history. */
export interface Seat {
  assignmentId: string;
  expertId: string;
  country: MemberState;
  lead: boolean;
  covers: string[];
  /** Why the expert was chosen, in plain words. */
  reasons: string[];
  status: SeatStatus;
  invitedAt: string;
  dueAt: string;
  /** The expert was reminded to answer. */
  reminded?: boolean;
  answeredAt?: string;
  /** Why the seat ended: the expert's words on a decline, the manager's on a replacement. */
  reason?: string;
}

export interface PassedOver {
  expertId: string;
  reason: string;
}

/** The latest proposal's explanation: what the team must cover and why others were not chosen. */
export interface Explanation {
  attempt: number;
  at: string;
  requirements: TeamRequirement[];
  passedOver: PassedOver[];
  notes: string[];
}

export interface TeamFailure {
  uncovered: TeamRequirement[];
  reason: string;
  at: string;
}

export type TeamPhase = 'proposing' | 'inviting' | 'assigned' | 'failed' | 'released';

export interface TeamState {
  pilotId: string;
  teamId: string;
  callId: string;
  needs: TeamNeeds;
  seats: Seat[];
  /** Experts who may not be proposed again for this pilot, with why. */
  excluded: PassedOver[];
  attempts: number;
  explanation?: Explanation;
  failure?: TeamFailure;
  /** When every seat was last accepted and the team announced; unset while a seat is open. */
  assignedAt?: string;
  released?: { at: string; reason: string };
  eventIds: string[];
}

/** The team as `GET /api/pilots/{id}/team` answers it to the Commission. */
export interface TeamView {
  pilotId: string;
  teamId: string;
  callId: string;
  phase: TeamPhase;
  region: string;
  partners: string[];
  teamSize: number;
  languages: EuLanguage[];
  /** Active seats first (invited or accepted), then the seats that ended, oldest first. */
  members: Seat[];
  explanation?: Explanation;
  failure?: TeamFailure;
  assignedAt?: string;
  released?: { at: string; reason: string };
}

/** Who sends a person's step, from the verified token. */
export interface Sender {
  actor: Actor & { kind: 'user' };
}

export interface InvitationAnswer {
  by: Sender;
  assignmentId: string;
  answer: 'accept' | 'decline';
  reason?: string;
}

export interface MemberReplacement {
  by: Sender;
  expertId: string;
  reason: string;
}

export interface RetryRequest {
  by: Sender;
}

export interface PilotEnded {
  eventId: string;
  stage: string;
  reason: string;
}

export const answerInvitationUpdate = defineUpdate<TeamView, [InvitationAnswer]>('answerInvitation');
export const replaceMemberUpdate = defineUpdate<TeamView, [MemberReplacement]>('replaceMember');
export const retryUpdate = defineUpdate<TeamView, [RetryRequest]>('retry');

export const pilotEndedSignal = defineSignal<[PilotEnded]>('pilotEnded');

export const teamQuery = defineQuery<TeamView>('team');

/** The failure type a refused step carries: the HTTP layer answers 409 with its message. */
export const refusedStep = 'StepRefused';
