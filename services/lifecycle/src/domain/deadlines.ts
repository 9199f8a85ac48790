/**
 * Deadlines given as a day (a revision's, the conditions', a milestone's due date) fall due at
 * one time of that day, in UTC: the programme's rule, set by configuration (`23:59:59` unless
 * said otherwise).
 */
export function deadlineOf(day: string, timeOfDayUtc: string): string {
  return new Date(`${day}T${timeOfDayUtc}Z`).toISOString();
}

export const timeOfDayPattern = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

/** When to remind of a deadline: a period before it, never before the moment it is set. */
export function reminderAt(dueAt: number, before: number, setAt: number): number {
  return Math.max(setAt, dueAt - before);
}
