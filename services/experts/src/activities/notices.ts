import type { Actor, TeamMember, TeamRequirement } from '@s3p/contracts';
import type { PassedOver, Seat, TeamNeeds, TeamView } from '../workflows/messages';

/** What the team workflow records: each notice becomes one event of `experts.events`. */
export type TeamNotice =
  | { type: 'expert-team.invited'; seat: Seat }
  | { type: 'expert-team.invitation-reminded'; seat: Seat }
  | { type: 'expert-team.invitation-answered'; seat: Seat; answer: 'accepted' | 'declined' | 'lapsed' }
  | { type: 'expert-team.assigned'; members: TeamMember[]; assignedAt: string }
  | { type: 'expert-team.assignment-failed'; uncovered: TeamRequirement[]; reason: string }
  | { type: 'expert-team.member-replaced'; seat: Seat }
  | { type: 'expert-team.released'; reason: string };

export interface RecordRequest {
  pilotId: string;
  teamId: string;
  /** Chosen by the workflow: a retried record adds nothing. */
  eventId: string;
  occurredAt: string;
  correlationId: string;
  actor: Actor;
  notice: TeamNotice;
  /** The team as it stands after this notice: what lists and ended pilots read. */
  view: TeamView;
}

/** A proposal asked of the pool: the seats already filled stay, the excluded are never chosen. */
export interface ProposalRequest {
  pilotId: string;
  teamId: string;
  /** The proposal's number for this team: a retried request answers with the same proposal. */
  attempt: number;
  needs: TeamNeeds;
  filled: { expertId: string; lead: boolean }[];
  excluded: PassedOver[];
}

export interface ProposedMember {
  expertId: string;
  country: Seat['country'];
  lead: boolean;
  kept: boolean;
  covers: string[];
  reasons: string[];
}

interface ProposalFacts {
  requirements: TeamRequirement[];
  members: ProposedMember[];
  passedOver: PassedOver[];
  notes: string[];
}

/** A feasible proposal's new members hold a seat of their capacity for the pilot. */
export type ProposalOutcome =
  | (ProposalFacts & { feasible: true })
  | (ProposalFacts & { feasible: false; uncovered: TeamRequirement[]; reason: string });
