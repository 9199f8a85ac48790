import type { PendingTask } from '@s3p/contracts';
import type { PilotState, PilotView, Seat } from './messages';

export const activeSeats = (state: PilotState): Seat[] =>
  state.seats.filter((seat) => seat.round === state.round && !seat.vacated);

/** Who must do what for the pilot now, and by when. */
export function pendingTasks(state: PilotState): PendingTask[] {
  const { application } = state;
  switch (state.stage) {
    case 'evaluation':
      return activeSeats(state)
        .filter((seat) => !seat.review)
        .map((seat) => ({
          kind: seat.declaration ? 'review' : 'declare-conflicts',
          assignee: seat.reviewer,
          dueAt: seat.dueAt,
        }));
    case 'consensus':
      return activeSeats(state).map((seat) => ({
        kind: 'consensus',
        assignee: seat.reviewer,
        ...(state.consensus ? { dueAt: state.consensus.dueAt } : {}),
      }));
    case 'decision':
      return [
        {
          kind: 'decide',
          assignee: 'approver',
          ...(state.decisionDue ? { dueAt: state.decisionDue.dueAt } : {}),
        },
      ];
    case 'conditions':
      return [
        {
          kind: 'confirm-conditions',
          assignee: 'approver',
          ...(state.decision?.dueAt ? { dueAt: state.decision.dueAt } : {}),
        },
      ];
    case 'revision':
      return [
        {
          kind: 'resubmit',
          assignee: application.region,
          ...(state.decision?.dueAt ? { dueAt: state.decision.dueAt } : {}),
        },
      ];
    case 'expert-team':
      return [{ kind: 'assign-expert-team', assignee: 'programme-manager' }];
    case 'implementation':
      return state.milestones
        .filter((milestone) => milestone.status !== 'accepted')
        .map((milestone) => ({
          kind: 'milestone-report',
          assignee: application.region,
          dueAt: milestone.dueAt,
          milestone: milestone.index,
        }));
    case 'final-report':
      return [{ kind: 'final-report', assignee: application.region }];
    default:
      return [];
  }
}

export function viewOf(state: PilotState): PilotView {
  const { application } = state;
  return {
    pilotId: state.pilotId,
    callId: application.callId,
    pilotType: application.pilotType,
    region: application.region,
    partners: application.partners,
    title: application.title,
    stage: state.stage,
    submissionVersion: state.receipt.submissionVersion,
    round: state.round,
    history: state.history,
    pendingTasks: pendingTasks(state),
    seats: state.seats,
    ...(state.consensus ? { consensus: state.consensus } : {}),
    ...(state.score !== undefined ? { score: state.score } : {}),
    ...(state.rules ? { passThreshold: state.rules.passThreshold } : {}),
    ...(state.decision ? { decision: state.decision } : {}),
    ...(state.team ? { team: state.team } : {}),
    milestones: state.milestones,
  };
}
