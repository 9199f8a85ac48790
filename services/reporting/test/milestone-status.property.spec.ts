import fc from 'fast-check';
import type { MilestoneStatus, StoredMilestoneStatus } from '../src/domain/milestone-status';
import { dueAtOf, milestoneStatus, reportRefusal, verdictRefusal } from '../src/domain/milestone-status';

const stored: StoredMilestoneStatus[] = ['open', 'reported', 'accepted', 'rejected'];
const dueAt = Date.parse('2026-06-30T23:59:59.000Z');
const day = 86_400_000;
/** Moments around the due date, the window's opening and the due date itself included. */
const momentArb = (windowMs: number) =>
  fc.oneof(
    fc.integer({ min: -60 * day, max: 60 * day }).map((offset) => dueAt + offset),
    fc.constantFrom(dueAt - windowMs - 1, dueAt - windowMs, dueAt - 1, dueAt, dueAt + 1),
  );
const windowArb = fc.integer({ min: 0, max: 30 }).map((days) => days * day);
const calendarOrder: MilestoneStatus[] = ['planned', 'due', 'overdue'];

describe('milestone status properties', () => {
  it('leaves a report waiting for its verdict, or accepted, as it is whatever the date', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<StoredMilestoneStatus>('reported', 'accepted'),
        windowArb.chain((w) => fc.tuple(fc.constant(w), momentArb(w))),
        (status, [windowMs, now]) => {
          expect(milestoneStatus({ status, dueAt: new Date(dueAt).toISOString() }, now, windowMs)).toBe(
            status,
          );
        },
      ),
    );
  });

  it('is overdue exactly when the date has passed and the region still owes a report', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...stored),
        windowArb.chain((w) => fc.tuple(fc.constant(w), momentArb(w))),
        (status, [windowMs, now]) => {
          const shown = milestoneStatus({ status, dueAt: new Date(dueAt).toISOString() }, now, windowMs);
          const owed = status === 'open' || status === 'rejected';
          expect(shown === 'overdue').toBe(owed && now > dueAt);
        },
      ),
    );
  });

  it('goes planned, due, overdue as time passes, due from the window’s opening on', () => {
    fc.assert(
      fc.property(
        windowArb.chain((w) => fc.tuple(fc.constant(w), momentArb(w), momentArb(w))),
        ([windowMs, a, b]) => {
          const [earlier, later] = a <= b ? [a, b] : [b, a];
          const at = (now: number) =>
            milestoneStatus({ status: 'open', dueAt: new Date(dueAt).toISOString() }, now, windowMs);
          expect(calendarOrder.indexOf(at(earlier))).toBeLessThanOrEqual(calendarOrder.indexOf(at(later)));
          expect(at(earlier)).toBe(
            earlier > dueAt ? 'overdue' : earlier >= dueAt - windowMs ? 'due' : 'planned',
          );
        },
      ),
    );
  });

  it('takes a report when none is waiting or accepted, and a verdict only on a waiting report', () => {
    fc.assert(
      fc.property(fc.constantFrom(...stored), (status) => {
        expect(reportRefusal(status) === undefined).toBe(status === 'open' || status === 'rejected');
        expect(verdictRefusal(status) === undefined).toBe(status === 'reported');
      }),
    );
  });

  it('makes a work plan’s day fall due on that day at the deadline time, in UTC', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.tuple(fc.nat(23), fc.nat(59), fc.nat(59)),
        (date, [h, m, s]) => {
          const dayText = date.toISOString().slice(0, 10);
          const time = [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
          expect(dueAtOf(dayText, time)).toBe(`${dayText}T${time}.000Z`);
        },
      ),
    );
  });
});
