import type { Principal } from '@s3p/service-kit';
import type { PilotView, Seat } from '../workflows/messages';

const commission = ['programme-manager', 'approver', 'auditor', 'service'] as const;

const seesAll = (principal: Principal) =>
  principal.roles.some((role) => (commission as readonly string[]).includes(role));

const isRegionOf = (principal: Principal, pilot: PilotView) =>
  principal.roles.includes('region') &&
  principal.region !== undefined &&
  (principal.region === pilot.region || pilot.partners.includes(principal.region));

const isReviewerOf = (principal: Principal, pilot: PilotView) =>
  principal.roles.includes('reviewer') && pilot.seats.some((seat) => seat.reviewer === principal.sub);

const isExpertOf = (principal: Principal, pilot: PilotView) =>
  principal.roles.includes('expert') && (pilot.team?.members ?? []).some((m) => m.expertId === principal.sub);

/** Whether the caller may see the pilot at all; a pilot it may not see is, to it, not there. */
export const maySee = (principal: Principal, pilot: PilotView): boolean =>
  seesAll(principal) ||
  isRegionOf(principal, pilot) ||
  isReviewerOf(principal, pilot) ||
  isExpertOf(principal, pilot);

/** A seat without who holds it and what they wrote: its dates and whether it is done remain. */
const anonymous = (seat: Seat, index: number): Seat => {
  const { reviewer: _reviewer, review: _review, declaration: _declaration, ...rest } = seat;
  return { ...rest, reviewer: `reviewer-${index + 1}` };
};

/** The caller's seat in the pilot's current evaluation round, if it holds one. */
const currentSeatOf = (principal: Principal, pilot: PilotView): Seat | undefined =>
  pilot.seats.find((seat) => seat.reviewer === principal.sub && seat.round === pilot.round && !seat.vacated);

/**
 * The pilot as this caller may see it. The Commission sees everything. A region never learns who
 * its reviewers are or what they wrote (only the panel's score and the decision's reasons). A
 * reviewer learns who the other reviewers are and what they scored only once its own review of
 * the current round is in (no anchoring, no lobbying).
 */
export function visiblePilot(principal: Principal, pilot: PilotView): PilotView {
  if (seesAll(principal)) return pilot;
  const others = new Set(
    pilot.seats.map((seat) => seat.reviewer).filter((reviewer) => reviewer !== principal.sub),
  );
  const hideOthers = (tasks: PilotView['pendingTasks']) =>
    tasks.map((task) => (others.has(task.assignee) ? { ...task, assignee: 'reviewer' } : task));
  if (isReviewerOf(principal, pilot)) {
    if (currentSeatOf(principal, pilot)?.review) return pilot;
    return {
      ...pilot,
      seats: pilot.seats.map((seat, index) =>
        seat.reviewer === principal.sub ? seat : anonymous(seat, index),
      ),
      pendingTasks: hideOthers(pilot.pendingTasks),
    };
  }
  const { consensus, ...rest } = pilot;
  return {
    ...rest,
    seats: pilot.seats.map(anonymous),
    ...(consensus ? { consensus: { dueAt: consensus.dueAt } } : {}),
    pendingTasks: hideOthers(pilot.pendingTasks),
  };
}

/**
 * Whether the caller may read the application's content: a reviewer only after declaring, for
 * this application and this round, that it has no conflict of interest.
 */
export function mayReadContent(principal: Principal, pilot: PilotView): boolean {
  if (seesAll(principal) || isRegionOf(principal, pilot) || isExpertOf(principal, pilot)) return true;
  const declaration = currentSeatOf(principal, pilot)?.declaration;
  return declaration !== undefined && !declaration.conflict;
}
