import type { Seat, TeamPhase, TeamState, TeamView } from './messages';

/** Seats that hold a unit of their expert's capacity: invited or accepted. */
export const activeSeats = (state: TeamState): Seat[] =>
  state.seats.filter((seat) => seat.status === 'invited' || seat.status === 'accepted');

export function phaseOf(state: TeamState): TeamPhase {
  if (state.released) return 'released';
  if (state.failure) return 'failed';
  if (state.assignedAt) return 'assigned';
  return activeSeats(state).length < state.needs.teamSize ? 'proposing' : 'inviting';
}

export function viewOf(state: TeamState): TeamView {
  const active = activeSeats(state);
  const ended = state.seats.filter((seat) => !active.includes(seat));
  return {
    pilotId: state.pilotId,
    teamId: state.teamId,
    callId: state.callId,
    phase: phaseOf(state),
    region: state.needs.region,
    partners: state.needs.partners,
    teamSize: state.needs.teamSize,
    languages: state.needs.languages,
    members: [...active, ...ended],
    ...(state.explanation ? { explanation: state.explanation } : {}),
    ...(state.failure ? { failure: state.failure } : {}),
    ...(state.assignedAt ? { assignedAt: state.assignedAt } : {}),
    ...(state.released ? { released: state.released } : {}),
  };
}
