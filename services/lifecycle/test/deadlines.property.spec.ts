import { z } from 'zod';
import fc from 'fast-check';
import { deadlineOf, reminderAt, timeOfDayPattern } from '../src/domain/deadlines';

const pad = (n: number) => String(n).padStart(2, '0');
const timeArb = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m, s]) => `${pad(h)}:${pad(m)}:${pad(s)}`);
/** Every calendar day the contract's date format admits (years 0000–9999). */
const dayArb = fc
  .date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const contractDate = z.iso.date();

describe('deadline properties', () => {
  it('falls due on the given day at the given time, in UTC, for every day the contract admits', () => {
    fc.assert(
      fc.property(dayArb, timeArb, (day, time) => {
        expect(contractDate.safeParse(day).success).toBe(true);
        expect(deadlineOf(day, time)).toBe(`${day}T${time}.000Z`);
      }),
    );
  });

  it('keeps the order of days and of times within a day', () => {
    fc.assert(
      fc.property(dayArb, dayArb, timeArb, timeArb, (d1, d2, t1, t2) => {
        const a = Date.parse(deadlineOf(d1, t1));
        const b = Date.parse(deadlineOf(d2, t2));
        if (d1 < d2) expect(a).toBeLessThan(b);
        if (d1 === d2) expect(Math.sign(a - b)).toBe(t1 < t2 ? -1 : t1 > t2 ? 1 : 0);
      }),
    );
  });

  it('admits exactly the times of day from 00:00:00 to 23:59:59', () => {
    fc.assert(
      // Near the bounds, where a wrong range shows.
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 0, max: 70 }),
        (h, m, s) => {
          const valid = h <= 23 && m <= 59 && s <= 59;
          expect(timeOfDayPattern.test(`${pad(h)}:${pad(m)}:${pad(s)}`)).toBe(valid);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => !timeOfDayPattern.test(text) || /^\d\d:\d\d:\d\d$/.test(text)),
    );
  });

  it('reminds a period before the deadline, never before the deadline was set nor after it', () => {
    const instant = fc.integer({ min: 0, max: 4_000_000_000_000 });
    fc.assert(
      fc.property(instant, fc.nat(30 * 86_400_000), fc.nat(365 * 86_400_000), (setAt, before, ahead) => {
        const dueAt = setAt + ahead;
        const at = reminderAt(dueAt, before, setAt);
        expect(at).toBeGreaterThanOrEqual(setAt);
        expect(at).toBeLessThanOrEqual(dueAt);
        if (dueAt - before >= setAt) expect(at).toBe(dueAt - before);
        else expect(at).toBe(setAt);
        // A longer warning never comes later.
        expect(reminderAt(dueAt, before + 1, setAt)).toBeLessThanOrEqual(at);
      }),
    );
  });
});
