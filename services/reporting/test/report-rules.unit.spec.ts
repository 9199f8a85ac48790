import { contentMismatch } from '../src/domain/file-content';
import { dueAtOf, milestoneStatus, reportRefusal, verdictRefusal } from '../src/domain/milestone-status';

const day = 24 * 60 * 60 * 1000;
const dueAt = '2026-06-30T23:59:59.000Z';
const due = Date.parse(dueAt);
const window = 30 * day;

describe('the status of a milestone, by the calendar', () => {
  it.each([
    ['planned before the due window', 'open', due - window - 1, 'planned'],
    ['due from the start of the window', 'open', due - window, 'due'],
    ['due up to the due instant itself', 'open', due, 'due'],
    ['overdue a moment after it', 'open', due + 1, 'overdue'],
    ['rejected before the due date', 'rejected', due - day, 'rejected'],
    ['overdue once a rejected report is late', 'rejected', due + day, 'overdue'],
    ['reported, however late: the auditor has it', 'reported', due + 10 * day, 'reported'],
    ['accepted, however late', 'accepted', due + 10 * day, 'accepted'],
  ] as const)('is %s', (_what, status, now, expected) => {
    expect(milestoneStatus({ status, dueAt }, now, window)).toBe(expected);
  });

  it('has no due phase with a window of zero', () => {
    expect(milestoneStatus({ status: 'open', dueAt }, due - 1, 0)).toBe('planned');
  });
});

describe('what may happen to a milestone', () => {
  it('takes a report while open or after a rejection, never while one waits or once accepted', () => {
    expect(reportRefusal('open')).toBeUndefined();
    expect(reportRefusal('rejected')).toBeUndefined();
    expect(reportRefusal('reported')).toMatch(/waiting for its verdict/);
    expect(reportRefusal('accepted')).toMatch(/accepted/);
  });

  it('takes a verdict only on a report that waits for one', () => {
    expect(verdictRefusal('reported')).toBeUndefined();
    for (const status of ['open', 'rejected', 'accepted'] as const)
      expect(verdictRefusal(status)).toMatch(status);
  });

  it('falls due on its day at the deadline time, UTC', () => {
    expect(dueAtOf('2026-06-30', '23:59:59')).toBe('2026-06-30T23:59:59.000Z');
    expect(dueAtOf('2026-02-28', '12:00:00')).toBe('2026-02-28T12:00:00.000Z');
  });
});

describe('a report file is what its content is', () => {
  it('recognises each binary type by its first bytes', () => {
    expect(contentMismatch('application/pdf', Buffer.from('%PDF-1.7 ...'))).toBeUndefined();
    expect(
      contentMismatch('image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])),
    ).toBeUndefined();
    expect(contentMismatch('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBeUndefined();
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]);
    expect(
      contentMismatch('application/vnd.openxmlformats-officedocument.wordprocessingml.document', zip),
    ).toBeUndefined();
    expect(contentMismatch('application/vnd.oasis.opendocument.spreadsheet', zip)).toBeUndefined();
  });

  it('refuses a file whose content is not of its declared type', () => {
    expect(contentMismatch('application/pdf', Buffer.from('MZ\u0090'))).toMatch(/not a application\/pdf/);
    expect(contentMismatch('image/png', Buffer.from('%PDF-1.7'))).toBeDefined();
    expect(contentMismatch('image/jpeg', Buffer.from([0xff, 0xd8]))).toBeDefined();
  });

  it('takes text as UTF-8 without NUL bytes, and refuses an empty file', () => {
    expect(contentMismatch('text/csv', Buffer.from('region;amount\nBG41;1000\n'))).toBeUndefined();
    expect(contentMismatch('text/plain', Buffer.from('Ελληνικά, български, polski'))).toBeUndefined();
    expect(contentMismatch('text/plain', Buffer.from([0x61, 0x00, 0x62]))).toMatch(/NUL/);
    expect(contentMismatch('text/plain', Buffer.from([0xc3, 0x28]))).toMatch(/UTF-8/);
    expect(contentMismatch('text/plain', Buffer.alloc(0))).toBe('the file is empty');
  });
});
