import { deadlineOf, reminderAt, timeOfDayPattern } from '../src/domain/deadlines';

const hour = 60 * 60 * 1000;
const day = 24 * hour;

describe('deadlineOf', () => {
  it('falls due at the given time of the day, in UTC', () => {
    expect(deadlineOf('2025-06-30', '23:59:59')).toBe('2025-06-30T23:59:59.000Z');
  });

  it('falls due at midnight when the programme says so', () => {
    expect(deadlineOf('2025-06-30', '00:00:00')).toBe('2025-06-30T00:00:00.000Z');
  });

  it('is the same instant wherever the process runs (no local time zone)', () => {
    expect(Date.parse(deadlineOf('2025-03-30', '01:30:00'))).toBe(Date.UTC(2025, 2, 30, 1, 30, 0));
    expect(Date.parse(deadlineOf('2025-10-26', '02:30:00'))).toBe(Date.UTC(2025, 9, 26, 2, 30, 0));
  });

  it('knows the 29th of February of a leap year', () => {
    expect(deadlineOf('2024-02-29', '23:59:59')).toBe('2024-02-29T23:59:59.000Z');
  });

  it('keeps the day across the turn of a year', () => {
    expect(deadlineOf('2025-12-31', '23:59:59')).toBe('2025-12-31T23:59:59.000Z');
    expect(deadlineOf('2026-01-01', '00:00:00')).toBe('2026-01-01T00:00:00.000Z');
  });

  it('throws for a day that is not a date', () => {
    expect(() => deadlineOf('2025-13-01', '23:59:59')).toThrow(RangeError);
    expect(() => deadlineOf('not a day', '23:59:59')).toThrow(RangeError);
  });

  it('throws for a time of day that is not one', () => {
    expect(() => deadlineOf('2025-06-30', '25:00:00')).toThrow(RangeError);
  });
});

describe('reminderAt', () => {
  const setAt = Date.UTC(2025, 0, 1, 12);

  it('is the given period before the deadline', () => {
    const dueAt = setAt + 10 * day;
    expect(reminderAt(dueAt, 2 * day, setAt)).toBe(dueAt - 2 * day);
  });

  it('is never before the deadline was set', () => {
    expect(reminderAt(setAt + hour, 2 * day, setAt)).toBe(setAt);
  });

  it('is the moment it was set when the period leads exactly there', () => {
    expect(reminderAt(setAt + 2 * day, 2 * day, setAt)).toBe(setAt);
  });

  it('is the deadline itself with no period before it', () => {
    expect(reminderAt(setAt + 3 * day, 0, setAt)).toBe(setAt + 3 * day);
  });

  it('is the moment it was set when the deadline is already past', () => {
    expect(reminderAt(setAt - day, hour, setAt)).toBe(setAt);
  });

  it('is before the deadline even when set at the epoch', () => {
    const dueAt = Date.UTC(2025, 5, 30, 23, 59, 59);
    expect(reminderAt(dueAt, 7 * day, 0)).toBe(dueAt - 7 * day);
  });
});

describe('timeOfDayPattern', () => {
  it.each(['00:00:00', '09:30:00', '12:00:00', '19:59:59', '20:00:00', '23:59:59'])('accepts %s', (time) => {
    expect(timeOfDayPattern.test(time)).toBe(true);
  });

  it.each([
    '24:00:00',
    '23:60:00',
    '23:59:60',
    '9:30:00',
    '09:30',
    '09:30:00Z',
    '09:30:00.000',
    '09:30:00+01:00',
    ' 09:30:00',
    '09:30:00 ',
    '093000',
    '',
    'aa:bb:cc',
  ])('refuses %p', (time) => {
    expect(timeOfDayPattern.test(time)).toBe(false);
  });

  it('accepts every time it matches as a deadline time', () => {
    for (const time of ['00:00:00', '23:59:59', '12:34:56']) {
      expect(timeOfDayPattern.test(time)).toBe(true);
      expect(deadlineOf('2025-06-30', time)).toBe(`2025-06-30T${time}.000Z`);
    }
  });
});
