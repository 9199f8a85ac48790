import type { Actor } from '@s3p/contracts';
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { TeamActivities } from '../activities/team-activities';
import type { ProposalOutcome, TeamNotice } from '../activities/notices';
import type {
  InvitationAnswer,
  MemberReplacement,
  RetryRequest,
  Seat,
  TeamInput,
  TeamState,
  TeamView,
} from './messages';
import {
  answerInvitationUpdate,
  pilotEndedSignal,
  refusedStep,
  replaceMemberUpdate,
  retryUpdate,
  teamQuery,
} from './messages';
import { activeSeats, viewOf } from './team-view';

/** The team's I/O: retried until it succeeds, since the team cannot go on without it. */
const io = proxyActivities<TeamActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const systemActor: Actor = { kind: 'system', name: 'team-builder' };

const refuse = (message: string): never => {
  throw ApplicationFailure.nonRetryable(message, refusedStep);
};

/**
 * One approved pilot's expert team, from the first proposal until the pilot ends: invitations
 * with a deadline each, a decline or a lapse replaced by the next best expert, a member replaced
 * later on the programme manager's word, and a failure reported when the pool cannot form the
 * team (the programme manager adds experts and retries). Every seat holds a unit of its
 * expert's capacity from the proposal until the seat ends.
 */
export async function team(input: TeamInput): Promise<void> {
  const { pilotId, teamId, timing, correlationId } = input;
  const state: TeamState = input.carried ?? {
    pilotId,
    teamId,
    callId: input.callId,
    needs: input.needs,
    seats: [],
    excluded: [],
    attempts: 0,
    eventIds: [],
  };
  let changed = false;
  let retryRequested = false;

  const now = () => Date.now();
  const isoNow = () => new Date(now()).toISOString();
  const view = (): TeamView => viewOf(state);

  async function record(notice: TeamNotice, actor: Actor = systemActor): Promise<void> {
    await io.record({
      pilotId,
      teamId,
      eventId: uuid4(),
      occurredAt: isoNow(),
      correlationId,
      actor,
      notice,
      view: view(),
    });
  }

  /** The seat leaves the team: its capacity is free again and its expert is not proposed again. */
  async function vacate(seat: Seat, status: Seat['status'], reason: string): Promise<void> {
    seat.status = status;
    seat.answeredAt ??= isoNow();
    seat.reason = reason;
    state.excluded.push({ expertId: seat.expertId, reason });
    state.assignedAt = undefined;
    changed = true;
    await io.release({ expertId: seat.expertId, pilotId });
  }

  setHandler(teamQuery, view);

  setHandler(pilotEndedSignal, (ended) => {
    if (state.eventIds.includes(ended.eventId) || state.released) return;
    state.eventIds.push(ended.eventId);
    state.released = { at: isoNow(), reason: `the pilot ended (${ended.stage}): ${ended.reason}` };
    changed = true;
  });

  setHandler(
    answerInvitationUpdate,
    async ({ by, assignmentId, answer, reason }: InvitationAnswer) => {
      const seat = state.seats.find((s) => s.assignmentId === assignmentId)!;
      if (answer === 'accept') {
        seat.status = 'accepted';
        seat.answeredAt = isoNow();
        changed = true;
        await record(
          { type: 'expert-team.invitation-answered', seat: { ...seat }, answer: 'accepted' },
          by.actor,
        );
      } else {
        await vacate(seat, 'declined', `declined this pilot: ${reason ?? 'no reason given'}`);
        await record(
          { type: 'expert-team.invitation-answered', seat: { ...seat }, answer: 'declined' },
          by.actor,
        );
      }
      return view();
    },
    {
      validator: ({ by, assignmentId, answer, reason }: InvitationAnswer) => {
        const seat = state.seats.find((s) => s.assignmentId === assignmentId);
        if (!seat || seat.expertId !== by.actor.sub) refuse('no such invitation for you on this team');
        if (state.released) refuse('the pilot has ended: its team takes no more answers');
        if (seat!.status !== 'invited') refuse(`the invitation was already ${seat!.status}`);
        if (answer === 'decline' && !reason) refuse('a decline needs a reason');
      },
    },
  );

  setHandler(
    replaceMemberUpdate,
    async ({ by, expertId, reason }: MemberReplacement) => {
      const seat = activeSeats(state).find((s) => s.expertId === expertId)!;
      await vacate(seat, 'replaced', `replaced: ${reason}`);
      await record({ type: 'expert-team.member-replaced', seat: { ...seat } }, by.actor);
      return view();
    },
    {
      validator: ({ expertId }: MemberReplacement) => {
        if (state.released) refuse('the pilot has ended: its team changes no more');
        if (!activeSeats(state).some((s) => s.expertId === expertId)) {
          refuse(`${expertId} holds no seat on this team`);
        }
      },
    },
  );

  setHandler(
    retryUpdate,
    async (_request: RetryRequest) => {
      retryRequested = true;
      await condition(() => !retryRequested || state.released !== undefined);
      return view();
    },
    {
      validator: (_request: RetryRequest) => {
        if (state.released) refuse('the pilot has ended');
        if (!state.failure) refuse('the team has not failed: there is nothing to retry');
      },
    },
  );

  async function propose(): Promise<void> {
    state.attempts += 1;
    const outcome: ProposalOutcome = await io.propose({
      pilotId,
      teamId,
      attempt: state.attempts,
      needs: state.needs,
      filled: activeSeats(state).map(({ expertId, lead }) => ({ expertId, lead })),
      excluded: state.excluded,
    });
    const at = isoNow();
    state.explanation = {
      attempt: state.attempts,
      at,
      requirements: outcome.requirements,
      passedOver: outcome.passedOver,
      notes: outcome.notes,
    };
    if (!outcome.feasible) {
      state.failure = { uncovered: outcome.uncovered, reason: outcome.reason, at };
      await record({
        type: 'expert-team.assignment-failed',
        uncovered: outcome.uncovered,
        reason: outcome.reason,
      });
      return;
    }
    state.failure = undefined;
    const dueAt = new Date(now() + timing.invitationMs).toISOString();
    for (const member of outcome.members) {
      const kept = activeSeats(state).find((s) => s.expertId === member.expertId);
      if (kept) {
        // The lead may move when the lead's seat was the one that ended.
        kept.lead = member.lead;
        continue;
      }
      const seat: Seat = {
        assignmentId: uuid4(),
        expertId: member.expertId,
        country: member.country,
        lead: member.lead,
        covers: member.covers,
        reasons: member.reasons,
        status: 'invited',
        invitedAt: at,
        dueAt,
      };
      state.seats.push(seat);
      await record({ type: 'expert-team.invited', seat: { ...seat } });
    }
  }

  /** When the seat's expert is reminded: a while before the deadline, never before the invitation. */
  const reminderAt = (seat: Seat, before: number) =>
    Math.max(Date.parse(seat.dueAt) - before, Date.parse(seat.invitedAt));

  /**
   * Invitations about to lapse are reminded once; those past their deadline lapse, and are
   * replaced like declines. Answers when to look again.
   */
  async function followInvitations(): Promise<number> {
    let next = Infinity;
    for (const seat of activeSeats(state).filter((s) => s.status === 'invited')) {
      if (Date.parse(seat.dueAt) <= now()) {
        await vacate(seat, 'lapsed', `did not answer the invitation by ${seat.dueAt}`);
        await record({ type: 'expert-team.invitation-answered', seat: { ...seat }, answer: 'lapsed' });
        continue;
      }
      // Teams started before reminders existed have no reminder time: they only lapse.
      const before = timing.invitationReminderBeforeMs;
      if (!seat.reminded && before !== undefined) {
        if (reminderAt(seat, before) <= now()) {
          seat.reminded = true;
          await record({ type: 'expert-team.invitation-reminded', seat: { ...seat } });
        } else next = Math.min(next, reminderAt(seat, before));
      }
      next = Math.min(next, Date.parse(seat.dueAt));
    }
    return next;
  }

  async function announce(): Promise<void> {
    state.assignedAt = isoNow();
    await record({
      type: 'expert-team.assigned',
      members: activeSeats(state).map(({ expertId, country, lead }) => ({ expertId, country, lead })),
      assignedAt: state.assignedAt,
    });
  }

  async function release(): Promise<void> {
    for (const seat of activeSeats(state)) {
      seat.status = 'released';
      await io.release({ expertId: seat.expertId, pilotId });
    }
    await record({ type: 'expert-team.released', reason: state.released!.reason });
  }

  const wakeUp = () => changed || state.released !== undefined;

  for (;;) {
    if (state.released) {
      await release();
      await condition(allHandlersFinished);
      return;
    }
    const active = activeSeats(state);
    if (state.failure) {
      await condition(() => retryRequested || state.released !== undefined);
      if (retryRequested) {
        await propose();
        retryRequested = false;
      }
    } else if (active.length < state.needs.teamSize) {
      await propose();
    } else if (active.every((seat) => seat.status === 'accepted')) {
      // Cleared before the announcement, not after: a member replaced while it was being recorded
      // went unseen, and the team waited one seat short for good.
      const wakeOnAnnouncementChanges = patched('wake-on-changes-during-announcement');
      if (wakeOnAnnouncementChanges) changed = false;
      if (!state.assignedAt) await announce();
      if (!wakeOnAnnouncementChanges) changed = false;
      await condition(wakeUp);
    } else {
      changed = false;
      const next = await followInvitations();
      if (Number.isFinite(next)) await condition(wakeUp, Math.max(next - now(), 1));
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof team>({ ...input, carried: state });
    }
  }
}
