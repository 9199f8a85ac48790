import type { AnyEnvelope } from '@s3p/contracts';
import { expertEvents } from '@s3p/contracts';
import type { Candidate } from '../domain/team-proposal';
import { proposeTeam } from '../domain/team-proposal';
import type { Assignments } from '../store/assignments';
import type { TeamStore } from '../store/teams';
import type { ProposalOutcome, ProposalRequest, RecordRequest } from './notices';

export const eventSource = 'experts';

/** What the team's activities need of the registry: the pool, and each expert's capacity. */
export interface ExpertCapacity {
  candidates(): Promise<Candidate[]>;
  reserve(expertId: string, pilotId: string): Promise<'reserved' | 'already-held' | 'full' | 'unknown'>;
  release(expertId: string, pilotId: string): Promise<void>;
}

export interface TeamActivityDependencies {
  experts: ExpertCapacity;
  teams: TeamStore;
  assignments: Assignments;
  /** Wakes the outbox relay after a write that added events. */
  poke: (pilotId: string) => void;
  /** Today, as the day availability windows are checked against. */
  today?: () => string;
}

/** Proposals that lose a race for an expert's last unit of capacity are made again, this often at most. */
const maxProposalRounds = 10;

export type TeamActivities = ReturnType<typeof createTeamActivities>;

/** The event a notice says, validated against its schema in the contracts. */
export function eventOf(request: RecordRequest): AnyEnvelope {
  const { notice, pilotId, teamId } = request;
  const fields = {
    id: request.eventId,
    source: eventSource,
    subject: pilotId,
    occurredAt: request.occurredAt,
    correlationId: request.correlationId,
    causationId: null,
    actor: request.actor,
  };
  const build = <
    S extends {
      parse(value: unknown): AnyEnvelope;
      shape: { type: { value: string }; version: { value: number } };
    },
  >(
    schema: S,
    data: unknown,
  ): AnyEnvelope =>
    schema.parse({ ...fields, type: schema.shape.type.value, version: schema.shape.version.value, data });

  switch (notice.type) {
    case 'expert-team.invited': {
      const { assignmentId, expertId, lead, covers, dueAt } = notice.seat;
      return build(expertEvents.memberInvited, {
        pilotId,
        teamId,
        assignmentId,
        expertId,
        lead,
        covers,
        dueAt,
      });
    }
    case 'expert-team.invitation-reminded': {
      const { assignmentId, expertId, dueAt } = notice.seat;
      return build(expertEvents.invitationReminded, { pilotId, teamId, assignmentId, expertId, dueAt });
    }
    case 'expert-team.invitation-answered': {
      const { assignmentId, expertId, reason } = notice.seat;
      return build(expertEvents.invitationAnswered, {
        pilotId,
        teamId,
        assignmentId,
        expertId,
        answer: notice.answer,
        ...(reason && notice.answer !== 'accepted' ? { reason } : {}),
      });
    }
    case 'expert-team.assigned':
      return build(expertEvents.teamAssigned, {
        pilotId,
        teamId,
        members: notice.members,
        assignedAt: notice.assignedAt,
      });
    case 'expert-team.assignment-failed':
      return build(expertEvents.assignmentFailed, {
        pilotId,
        teamId,
        uncovered: notice.uncovered.map(({ key, label }) => ({ key, label })),
        reason: notice.reason,
      });
    case 'expert-team.member-replaced':
      return build(expertEvents.memberReplaced, {
        pilotId,
        teamId,
        expertId: notice.seat.expertId,
        reason: notice.seat.reason ?? 'replaced',
      });
    case 'expert-team.released':
      return build(expertEvents.teamReleased, { pilotId, teamId, reason: notice.reason });
  }
}

/**
 * The team workflow's I/O. Every activity is idempotent: a retry after a crash between its
 * writes and its answer changes nothing twice.
 */
export function createTeamActivities(deps: TeamActivityDependencies) {
  const { experts, teams, assignments, poke } = deps;
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));

  async function freshProposal(request: ProposalRequest): Promise<ProposalOutcome> {
    const { needs, filled, excluded } = request;
    const outcome = proposeTeam({ ...needs, on: today() }, await experts.candidates(), filled, excluded);
    // Kept before any capacity is taken: a retry after a crash finds it and takes the same seats.
    await teams.keepProposal(request.pilotId, request.attempt, outcome);
    return outcome;
  }

  return {
    /**
     * A team proposal from the pool as it is, whose new members each hold a unit of their
     * capacity for the pilot. When another pilot took an expert's last unit meanwhile, what this
     * proposal took is given back and the team is proposed again.
     */
    async propose(request: ProposalRequest): Promise<ProposalOutcome> {
      let outcome =
        (await teams.proposal(request.pilotId, request.attempt)) ?? (await freshProposal(request));
      for (let round = 1; ; round += 1) {
        if (!outcome.feasible) return outcome;
        const newcomers = outcome.members.filter((member) => !member.kept);
        const held: string[] = [];
        let lost = false;
        for (const member of newcomers) {
          const result = await experts.reserve(member.expertId, request.pilotId);
          if (result === 'reserved' || result === 'already-held') held.push(member.expertId);
          else lost = true;
        }
        if (!lost) return outcome;
        for (const expertId of held) await experts.release(expertId, request.pilotId);
        if (round >= maxProposalRounds) {
          throw new Error(
            `no proposal for ${request.pilotId} kept its experts' capacity after ${round} rounds`,
          );
        }
        outcome = await freshProposal(request);
      }
    },

    async release({ expertId, pilotId }: { expertId: string; pilotId: string }): Promise<void> {
      await experts.release(expertId, pilotId);
    },

    async record(request: RecordRequest): Promise<void> {
      const { notice, view, pilotId, teamId, occurredAt } = request;
      const seats =
        notice.type === 'expert-team.released'
          ? view.members.filter((seat) => seat.status === 'released')
          : 'seat' in notice
            ? [notice.seat]
            : [];
      for (const seat of seats) await assignments.keep(pilotId, teamId, view.region, seat, occurredAt);
      if (await teams.record(pilotId, eventOf(request), view)) poke(pilotId);
    },
  };
}
