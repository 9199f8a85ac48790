/** A milestone as stored: where its reports stand. */
export type StoredMilestoneStatus = 'open' | 'reported' | 'accepted' | 'rejected';

/** A milestone as people read it: its stored status, with the calendar applied. */
export type MilestoneStatus = 'planned' | 'due' | 'overdue' | 'reported' | 'accepted' | 'rejected';

export interface MilestoneClock {
  status: StoredMilestoneStatus;
  dueAt: string;
}

/**
 * planned until the due window opens, then due, then overdue once the due date has passed
 * without an accepted report; a rejected report is overdue too once late, since the region still
 * owes one. A report waiting for its verdict is not overdue: the auditor has it.
 */
export function milestoneStatus(
  milestone: MilestoneClock,
  now: number,
  dueWindowMs: number,
): MilestoneStatus {
  const { status } = milestone;
  if (status === 'reported' || status === 'accepted') return status;
  const dueAt = Date.parse(milestone.dueAt);
  if (now > dueAt) return 'overdue';
  if (status === 'rejected') return 'rejected';
  return now >= dueAt - dueWindowMs ? 'due' : 'planned';
}

/** Why the region may not report on the milestone now; undefined when it may. */
export function reportRefusal(status: StoredMilestoneStatus): string | undefined {
  switch (status) {
    case 'reported':
      return 'a report on this milestone is waiting for its verdict';
    case 'accepted':
      return 'this milestone is accepted: it takes no more reports';
    default:
      return undefined;
  }
}

/** Why an auditor may not give a verdict now; undefined when it may. */
export function verdictRefusal(status: StoredMilestoneStatus): string | undefined {
  return status === 'reported'
    ? undefined
    : `there is no report waiting for a verdict (the milestone is ${status})`;
}

/** The moment a work plan's due date (a day) falls due, at the platform's deadline time (UTC). */
export const dueAtOf = (dueDate: string, deadlineTimeUtc: string): string =>
  new Date(`${dueDate}T${deadlineTimeUtc}.000Z`).toISOString();
