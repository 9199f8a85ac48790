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

/**
 * The pilot as this caller may see it. The Commission sees everything. A region never learns who
 * its reviewers are or what they wrote (only the panel's score and the decision's reasons). A
 * reviewer sees other reviewers' scores only once its own review is in (no anchoring).
 */
export function visiblePilot(principal: Principal, pilot: PilotView): PilotView {
  if (seesAll(principal)) return pilot;
  if (isReviewerOf(principal, pilot)) {
    const own = pilot.seats.find((seat) => seat.reviewer === principal.sub && seat.review);
    return {
      ...pilot,
      seats: own
        ? pilot.seats
        : pilot.seats.map((seat, index) => (seat.reviewer === principal.sub ? seat : anonymous(seat, index))),
    };
  }
  const reviewers = new Set(pilot.seats.map((seat) => seat.reviewer));
  const { consensus, ...rest } = pilot;
  return {
    ...rest,
    seats: pilot.seats.map(anonymous),
    ...(consensus ? { consensus: { dueAt: consensus.dueAt } } : {}),
    pendingTasks: pilot.pendingTasks.map((task) =>
      reviewers.has(task.assignee) ? { ...task, assignee: 'reviewer' } : task,
    ),
  };
}

/**
 * Whether the caller may read the application's content: a reviewer only after declaring, for
 * this application and this round, that it has no conflict of interest.
 */
export function mayReadContent(principal: Principal, pilot: PilotView): boolean {
  if (seesAll(principal) || isRegionOf(principal, pilot) || isExpertOf(principal, pilot)) return true;
  const round = Math.max(0, ...pilot.seats.map((seat) => seat.round));
  return pilot.seats.some(
    (seat) =>
      seat.reviewer === principal.sub &&
      seat.round === round &&
      !seat.vacated &&
      seat.declaration !== undefined &&
      !seat.declaration.conflict,
  );
}
