import type { FactsByKind, NotificationKind } from '../src/domain/notification-rules';
import { isMandatory, kindNames } from '../src/domain/notification-rules';
import type { Language } from '../src/domain/preferences';
import { languages } from '../src/domain/preferences';
import type { Locale } from '../src/domain/templates';
import { portalLinks, renderDigest, renderNotification } from '../src/domain/templates';

const onPilot = { pilotId: 'app-1', pilotTitle: 'Smart manufacturing transition' };

/** One set of facts per kind: the compiler keeps it exhaustive. */
const samples: { [K in NotificationKind]: FactsByKind[K] } = {
  'call-published': {
    callId: 'call-1',
    callTitle: 'Pilots 2026',
    pilotType: 'interregional-partnership',
    closesAt: '2026-03-10T21:59:59.000Z',
  },
  'application-submitted': {
    ...onPilot,
    callId: 'call-1',
    submissionVersion: 2,
    contentHash: 'ab'.repeat(32),
    submittedAt: '2026-01-15T09:30:00.000Z',
  },
  'reviewers-assigned': { ...onPilot, dueAt: '2026-02-01T16:00:00.000Z' },
  'review-due': { ...onPilot, task: 'declare-conflicts', dueAt: '2026-02-01T16:00:00.000Z' },
  'review-overdue': { ...onPilot, task: 'review', reviewer: 'reviewer2', dueAt: '2026-02-01T16:00:00.000Z' },
  'decision-taken': {
    ...onPilot,
    decision: 'revise',
    reasons: 'The budget is unclear.',
    score: 64.25,
    dueAt: '2026-03-01T22:59:59.000Z',
  },
  'team-invitation': { ...onPilot, assignmentId: 'a-1', lead: false, dueAt: '2026-04-05T10:00:00.000Z' },
  'invitation-lapsing': { ...onPilot, assignmentId: 'a-1', dueAt: '2026-04-05T10:00:00.000Z' },
  'invitation-lapsed': { ...onPilot, assignmentId: 'a-1' },
  'milestone-due': {
    ...onPilot,
    milestone: 0,
    milestoneTitle: 'Skills academy opens',
    dueAt: '2026-04-30T23:59:59.000Z',
  },
  'milestone-overdue': {
    ...onPilot,
    milestone: 1,
    milestoneTitle: 'First cohort graduates',
    dueDate: '2026-05-30',
  },
  'report-verified': { ...onPilot, milestone: 0, milestoneTitle: 'Skills academy opens' },
  'report-rejected': { ...onPilot, note: 'The budget annex is missing.' },
  'task-due': { ...onPilot, task: 'resubmit', dueAt: '2026-03-01T22:59:59.000Z' },
  'task-overdue': { ...onPilot, task: 'decide', assignee: 'approver', dueAt: '2026-03-01T22:59:59.000Z' },
};

const links = portalLinks('https://portal.s3p.test/', '/pilots/app-1');
const render = <K extends NotificationKind>(kind: K, facts: FactsByKind[K], locale: Locale) =>
  renderNotification(kind, facts, locale, links, isMandatory(kind));
const timeZoneOf: Record<Language, string> = {
  en: 'Europe/Athens',
  bg: 'Europe/Sofia',
  sv: 'Europe/Stockholm',
};

describe('every kind in every language', () => {
  const cases = kindNames.flatMap((kind) => languages.map((language) => [kind, language] as const));

  it.each(cases)(
    '%s in %s: a subject, plain text and HTML, with the link and the settings',
    (kind, language) => {
      const message = render(kind, samples[kind], { language, timeZone: timeZoneOf[language] });
      for (const part of [message.subject, message.summary, message.text, message.html]) {
        expect(part.length).toBeGreaterThan(0);
        expect(part).not.toMatch(/undefined|NaN|\[object|null/);
      }
      expect(message.subject).not.toContain('\n');
      expect(message.text).toContain(message.summary);
      expect(message.text).toContain('https://portal.s3p.test/pilots/app-1');
      expect(message.text).toContain('https://portal.s3p.test/notifications/preferences');
      expect(message.html).toContain('href="https://portal.s3p.test/pilots/app-1"');
      expect(message.html).toContain(`<html lang="${language}">`);
      // A mandatory notice says it cannot be switched off; the others do not.
      const says = {
        en: 'cannot be switched off',
        bg: 'не може да бъде изключено',
        sv: 'kan inte stängas av',
      }[language];
      expect(message.text.includes(says)).toBe(isMandatory(kind));
    },
  );

  it.each(kindNames)('%s reads differently in English, Bulgarian and Swedish', (kind) => {
    const subjects = languages.map(
      (language) => render(kind, samples[kind], { language, timeZone: 'UTC' }).subject,
    );
    expect(new Set(subjects).size).toBe(3);
  });

  it('writes Bulgarian in Cyrillic and Swedish with its own words', () => {
    const bg = render('decision-taken', samples['decision-taken'], {
      language: 'bg',
      timeZone: 'Europe/Sofia',
    });
    expect(bg.subject).toBe('Решение по Smart manufacturing transition: изисква се преработка');
    expect(bg.summary).toContain('Мотиви:\n> The budget is unclear.');
    expect(bg.summary).toContain('64,3 / 100');
    const sv = render('team-invitation', samples['team-invitation'], {
      language: 'sv',
      timeZone: 'Europe/Stockholm',
    });
    expect(sv.subject).toBe('Inbjudan till expertgruppen för Smart manufacturing transition');
    expect(sv.summary).toContain('Du är inbjuden att ingå i kommissionens expertgrupp');
    const en = render(
      'team-invitation',
      { ...samples['team-invitation'], lead: true },
      { language: 'en', timeZone: 'UTC' },
    );
    expect(en.summary).toContain('You are invited to lead the Commission expert team');
  });
});

describe('deadlines in the reader’s time zone and language', () => {
  const call = samples['call-published'];

  it('shows one instant as each reader’s local time, with the zone', () => {
    // 21:59:59 UTC is 23:59 in Sofia (UTC+2 in March) and 22:59 in Stockholm and Brussels (UTC+1).
    expect(render('call-published', call, { language: 'bg', timeZone: 'Europe/Sofia' }).summary).toContain(
      'Краен срок за кандидатстване: 10 март 2026 г. в 23:59',
    );
    expect(
      render('call-published', call, { language: 'sv', timeZone: 'Europe/Stockholm' }).summary,
    ).toContain('Sista ansökningsdag: 10 mars 2026 kl. 22:59 CET');
    expect(render('call-published', call, { language: 'en', timeZone: 'Europe/Brussels' }).summary).toContain(
      'Applications close: 10 March 2026 at 22:59 CET',
    );
    expect(render('call-published', call, { language: 'en', timeZone: 'Europe/Sofia' }).summary).toContain(
      'Applications close: 10 March 2026 at 23:59 EET',
    );
  });

  it('moves the date where the local day has already changed', () => {
    const late = { ...call, closesAt: '2026-03-10T22:30:00.000Z' };
    expect(render('call-published', late, { language: 'en', timeZone: 'Europe/Sofia' }).summary).toContain(
      '11 March 2026 at 00:30',
    );
    expect(render('call-published', late, { language: 'en', timeZone: 'Europe/Lisbon' }).summary).toContain(
      '10 March 2026 at 22:30',
    );
  });

  it('follows summer time', () => {
    const summer = { ...call, closesAt: '2026-07-10T21:59:59.000Z' };
    expect(render('call-published', summer, { language: 'en', timeZone: 'Europe/Sofia' }).summary).toContain(
      '11 July 2026 at 00:59 EEST',
    );
  });

  it('keeps a calendar day (a milestone’s due date) the same day everywhere', () => {
    for (const timeZone of ['Pacific/Auckland', 'America/Los_Angeles', 'Europe/Sofia']) {
      expect(
        render('milestone-overdue', samples['milestone-overdue'], { language: 'en', timeZone }).summary,
      ).toContain('Was due: 30 May 2026');
    }
    expect(
      render('milestone-overdue', samples['milestone-overdue'], { language: 'sv', timeZone: 'UTC' }).summary,
    ).toContain('Tidsfristen löpte ut: 30 maj 2026');
  });
});

describe('HTML', () => {
  const hostile = '<script>alert("x")</script> & <b>Co</b>\'s';

  it('escapes everything people wrote (titles, reasons, notes, conditions), and the links', () => {
    const message = renderNotification(
      'decision-taken',
      {
        ...samples['decision-taken'],
        pilotTitle: hostile,
        reasons: hostile,
        conditions: [hostile],
        decision: 'approve-with-conditions',
      },
      { language: 'en', timeZone: 'UTC' },
      portalLinks('https://portal.s3p.test', '/pilots/a"b<c>'),
      true,
    );
    expect(message.html).not.toContain('<script>');
    expect(message.html).not.toContain('<b>');
    expect(message.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;&#39;s',
    );
    expect(message.html).toContain('href="https://portal.s3p.test/pilots/a&quot;b&lt;c&gt;"');
    // Plain text and the subject carry the words as they are.
    expect(message.text).toContain(hostile);
    expect(message.subject).toContain(hostile);
  });

  it('escapes a digest too', () => {
    const digest = renderDigest(
      [
        {
          kind: 'report-rejected',
          facts: { ...samples['report-rejected'], pilotTitle: hostile },
          place: 'https://p/x?a=1&b=2',
        },
      ],
      { language: 'en', timeZone: 'UTC' },
      'https://p/notifications/preferences',
    );
    expect(digest.html).not.toContain('<script>');
    expect(digest.html).toContain('href="https://p/x?a=1&amp;b=2"');
  });
});

describe('digests', () => {
  const entries = [
    { kind: 'call-published' as const, facts: samples['call-published'], place: 'https://p/calls/call-1' },
    {
      kind: 'milestone-due' as const,
      facts: samples['milestone-due'],
      place: 'https://p/pilots/app-1/milestones',
    },
    {
      kind: 'report-verified' as const,
      facts: samples['report-verified'],
      place: 'https://p/pilots/app-1/milestones',
    },
  ];

  it.each(languages)('lists every entry with its link, in %s', (language) => {
    const digest = renderDigest(
      entries,
      { language, timeZone: timeZoneOf[language] },
      'https://p/notifications/preferences',
    );
    expect(digest.subject).toContain('3');
    for (const entry of entries) {
      expect(digest.text).toContain(entry.place);
      expect(digest.html).toContain(`href="${entry.place}"`);
      const alone = render(entry.kind, entry.facts, { language, timeZone: timeZoneOf[language] });
      expect(digest.text).toContain(alone.subject);
    }
    expect(digest.text).toContain('https://p/notifications/preferences');
  });

  it('counts in the singular and the plural', () => {
    const subjectOf = (count: number, language: Language) =>
      renderDigest(entries.slice(0, count), { language, timeZone: 'UTC' }, 'https://p/s').subject;
    expect(subjectOf(1, 'en')).toBe('Your digest: 1 notification');
    expect(subjectOf(2, 'en')).toBe('Your digest: 2 notifications');
    expect(subjectOf(1, 'bg')).toBe('Вашият обобщен бюлетин: 1 известие');
    expect(subjectOf(2, 'sv')).toBe('Din sammanfattning: 2 aviseringar');
  });
});

describe('links to the portal', () => {
  it('keep the portal’s own path and drop a trailing slash', () => {
    expect(portalLinks('https://portal.s3p.test/', '/pilots/app-1')).toEqual({
      place: 'https://portal.s3p.test/pilots/app-1',
      settings: 'https://portal.s3p.test/notifications/preferences',
    });
    expect(portalLinks('https://ec.europa.test/s3p', '/calls/c-1').place).toBe(
      'https://ec.europa.test/s3p/calls/c-1',
    );
  });
});
