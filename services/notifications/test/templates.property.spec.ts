import fc from 'fast-check';
import type { FactsByKind, NotificationKind } from '../src/domain/notification-rules';
import { isMandatory } from '../src/domain/notification-rules';
import { languages } from '../src/domain/preferences';
import type { Locale } from '../src/domain/templates';
import { portalLinks, renderDigest, renderNotification } from '../src/domain/templates';

/** Text people write (titles, reasons, notes): any Unicode, markup and line breaks included, as the contracts admit it. */
const writtenArb = fc
  .tuple(
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom(
      '',
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(1)>',
      '&amp; <b>',
      "it's",
      '\r\n',
      'a\rb',
      '\n\n',
    ),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  )
  .map((parts) => parts.join('').trim())
  .filter((text) => text.length > 0);

const localeArb: fc.Arbitrary<Locale> = fc.record({
  language: fc.constantFrom(...languages),
  timeZone: fc.constantFrom('UTC', 'Europe/Sofia', 'Europe/Stockholm', 'America/New_York'),
});

/** Notices of the kinds that carry people's words, each with the words it carries. */
const noticeArb = fc.oneof(
  fc
    .record({
      title: writtenArb,
      reasons: writtenArb,
      conditions: fc.array(writtenArb, { minLength: 1, maxLength: 3 }),
    })
    .map(({ title, reasons, conditions }) => ({
      kind: 'decision-taken' as const,
      facts: {
        pilotId: 'app-1',
        pilotTitle: title,
        decision: 'approve-with-conditions',
        reasons,
        conditions,
        score: 71.5,
        dueAt: '2026-03-01T22:59:59.000Z',
      } satisfies FactsByKind['decision-taken'],
      words: [title, reasons, ...conditions],
    })),
  fc.record({ title: writtenArb, note: writtenArb }).map(({ title, note }) => ({
    kind: 'report-rejected' as const,
    facts: { pilotId: 'app-1', pilotTitle: title, note } satisfies FactsByKind['report-rejected'],
    words: [title, note],
  })),
  fc.record({ title: writtenArb, milestoneTitle: writtenArb }).map(({ title, milestoneTitle }) => ({
    kind: 'milestone-overdue' as const,
    facts: {
      pilotId: 'app-1',
      pilotTitle: title,
      milestone: 1,
      milestoneTitle,
      dueDate: '2026-05-30',
    } satisfies FactsByKind['milestone-overdue'],
    words: [title, milestoneTitle],
  })),
  writtenArb.map((callTitle) => ({
    kind: 'call-published' as const,
    facts: {
      callId: 'call-1',
      callTitle,
      pilotType: 'industrial-transition',
      closesAt: '2026-03-10T21:59:59.000Z',
    } satisfies FactsByKind['call-published'],
    words: [callTitle],
  })),
);

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
const links = portalLinks('https://portal.s3p.test', '/pilots/app-1');
const render = (n: { kind: NotificationKind; facts: unknown }, locale: Locale) =>
  renderNotification(n.kind, n.facts as never, locale, links, isMandatory(n.kind));

describe('template properties', () => {
  it('carries no markup from people’s words into the HTML, only their escaped text', () => {
    fc.assert(
      fc.property(noticeArb, localeArb, (notice, locale) => {
        const { html } = render(notice, locale);
        expect(html).not.toMatch(/<script|<img|<b>/);
        for (const word of notice.words) {
          for (const line of word.split(/\r?\n/)) expect(html).toContain(escapeHtml(line));
        }
      }),
    );
  });

  it('keeps every word people wrote in the plain text', () => {
    fc.assert(
      fc.property(noticeArb, localeArb, (notice, locale) => {
        const { text } = render(notice, locale);
        for (const word of notice.words) for (const line of word.split(/\r?\n/)) expect(text).toContain(line);
      }),
    );
  });

  it('writes a subject on one line, whatever the titles hold', () => {
    fc.assert(
      fc.property(noticeArb, localeArb, (notice, locale) => {
        expect(render(notice, locale).subject).not.toMatch(/[\r\n]/);
      }),
    );
  });

  it('writes a title with blank lines in it on one subject line (the case the property above found)', () => {
    const facts = {
      pilotId: 'app-1',
      pilotTitle: '!\n\n!',
      milestone: 1,
      milestoneTitle: '!',
      dueDate: '2026-05-30',
    };
    expect(render({ kind: 'milestone-overdue', facts }, { language: 'en', timeZone: 'UTC' }).subject).toBe(
      'Milestone overdue: 2 – ! — ! !',
    );
  });

  it('counts a digest’s notices and links each of them', () => {
    fc.assert(
      fc.property(fc.array(noticeArb, { maxLength: 5 }), localeArb, (notices, locale) => {
        const entries = notices.map((n, i) => ({
          kind: n.kind,
          facts: n.facts as never,
          place: `https://portal.s3p.test/pilots/app-${i}?a=1&b=2`,
        }));
        const digest = renderDigest(entries, locale, 'https://portal.s3p.test/notifications/preferences');
        expect(digest.subject).toContain(String(entries.length));
        expect(digest.subject).not.toMatch(/[\r\n]/);
        expect(digest.html).not.toMatch(/<script|<img|<b>/);
        for (const entry of entries) {
          expect(digest.text).toContain(entry.place);
          expect(digest.html).toContain(`href="${escapeHtml(entry.place)}"`);
        }
      }),
    );
  });

  it('joins the portal’s address and a path with exactly one slash', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('https://portal.s3p.test', 'https://example.eu/s3p'),
        fc.nat(3),
        fc.stringMatching(/^\/[a-z0-9/-]{0,20}$/),
        (base, slashes, path) => {
          const { place, settings } = portalLinks(base + '/'.repeat(slashes), path);
          expect(place).toBe(base + path);
          expect(settings).toBe(`${base}/notifications/preferences`);
        },
      ),
    );
  });
});
