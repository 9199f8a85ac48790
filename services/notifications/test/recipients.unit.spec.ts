import { memberStates } from '@s3p/contracts';
import { retryDelayMs } from '../src/domain/backoff';
import { kindNames } from '../src/domain/notification-rules';
import {
  effectivePreferences,
  isTimeZone,
  languageOfCountry,
  mandatoryRefusals,
  memberStateTimeZones,
  timeZoneOfCountry,
} from '../src/domain/preferences';
import type { DirectoryUser } from '../src/domain/recipients';
import { audienceOfAssignee, recipientsOf } from '../src/domain/recipients';

const directory: DirectoryUser[] = [
  { username: 'manager', roles: ['programme-manager'] },
  { username: 'manager2', roles: ['programme-manager', 'approver'] },
  { username: 'auditor', roles: ['auditor'] },
  { username: 'reviewer1', roles: ['reviewer'], country: 'NL' },
  { username: 'expert04', roles: ['expert'], country: 'SE' },
  { username: 'region-bg41', roles: ['region'], region: 'BG41', country: 'BG' },
  { username: 'region-bg42', roles: ['region'], region: 'BG42', country: 'BG' },
  { username: 'region-el30', roles: ['region'], region: 'EL30', country: 'GR' },
  { username: 'region-se33', roles: ['region'], region: 'SE33', country: 'SE' },
  { username: 'region-pl91', roles: ['region'], region: 'PL91', country: 'PL' },
];

describe('assignees of the lifecycle', () => {
  it.each([
    ['reviewer1', { user: 'reviewer1' }],
    ['BG41', { region: 'BG41' }],
    ['FI1B', { region: 'FI1B' }],
    ['approver', { role: 'approver' }],
    ['programme-manager', { role: 'programme-manager' }],
    // Not a NUTS-2 code of the classification: a person's name that looks like one is a person.
    ['XX99', { user: 'XX99' }],
    ['bg41', { user: 'bg41' }],
  ])('%s is %j', (assignee, audience) => {
    expect(audienceOfAssignee(assignee)).toEqual(audience);
  });
});

describe('recipients from the directory', () => {
  it('a user is told by sub, with the country the directory knows, or without when it does not list them', () => {
    expect(recipientsOf([{ user: 'reviewer1' }, { user: 'reviewer9' }], directory)).toEqual([
      { sub: 'reviewer1', country: 'NL' },
      { sub: 'reviewer9' },
    ]);
  });

  it('a region is whoever acts for it, and only for it', () => {
    expect(recipientsOf([{ region: 'BG41' }], directory)).toEqual([{ sub: 'region-bg41', country: 'BG' }]);
    expect(recipientsOf([{ region: 'AT13' }], directory)).toEqual([]);
  });

  it('a role is everyone who holds it', () => {
    expect(recipientsOf([{ role: 'programme-manager' }], directory).map((r) => r.sub)).toEqual([
      'manager',
      'manager2',
    ]);
    expect(recipientsOf([{ role: 'auditor' }], directory)).toEqual([{ sub: 'auditor' }]);
  });

  it('the regions of member states are every region user of those states (Greece is GR, though its NUTS codes say EL)', () => {
    expect(recipientsOf([{ regionsOf: ['BG', 'GR'] }], directory).map((r) => r.sub)).toEqual([
      'region-bg41',
      'region-bg42',
      'region-el30',
    ]);
    // An expert of a member state is not one of its regions.
    expect(recipientsOf([{ regionsOf: ['SE'] }], directory).map((r) => r.sub)).toEqual(['region-se33']);
  });

  it('names each person once, in the order the audiences name them', () => {
    const audiences = [
      { region: 'BG41' },
      { regionsOf: ['BG' as const] },
      { user: 'region-bg41' },
      { role: 'auditor' as const },
    ];
    expect(recipientsOf(audiences, directory).map((r) => r.sub)).toEqual([
      'region-bg41',
      'region-bg42',
      'auditor',
    ]);
  });
});

describe("a person's defaults and choices", () => {
  it('speaks Bulgarian in Bulgaria, Swedish in Sweden, English elsewhere and at the Commission', () => {
    expect(languageOfCountry('BG')).toBe('bg');
    expect(languageOfCountry('SE')).toBe('sv');
    expect(languageOfCountry('FI')).toBe('en');
    expect(languageOfCountry('GR')).toBe('en');
    expect(languageOfCountry(undefined)).toBe('en');
  });

  it('gives each of the 27 member states a time zone this runtime knows, and Brussels to the Commission', () => {
    expect(Object.keys(memberStateTimeZones).sort()).toEqual([...memberStates].sort());
    for (const zone of Object.values(memberStateTimeZones)) expect(isTimeZone(zone)).toBe(true);
    expect(timeZoneOfCountry('BG')).toBe('Europe/Sofia');
    expect(timeZoneOfCountry('SE')).toBe('Europe/Stockholm');
    expect(timeZoneOfCountry('GR')).toBe('Europe/Athens');
    expect(timeZoneOfCountry(undefined)).toBe('Europe/Brussels');
    expect(timeZoneOfCountry('US')).toBe('Europe/Brussels');
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('fills in what a person did not choose', () => {
    const settings = effectivePreferences(
      { sub: 'region-bg41', country: 'BG', mailDomain: 'users.s3p.test' },
      undefined,
    );
    expect(settings).toMatchObject({
      email: 'region-bg41@users.s3p.test',
      language: 'bg',
      timeZone: 'Europe/Sofia',
    });
    expect(new Set(Object.values(settings.modes))).toEqual(new Set(['immediately']));
    expect(Object.keys(settings.modes).sort()).toEqual([...kindNames].sort());
  });

  it('keeps what a person chose, except a mandatory kind off (a stale choice), which goes out at once', () => {
    const settings = effectivePreferences(
      { sub: 'expert04', country: 'SE', mailDomain: 'users.s3p.test' },
      {
        email: 'anna@example.test',
        language: 'en',
        timeZone: 'Europe/Lisbon',
        modes: { 'call-published': 'off', 'review-due': 'digest', 'decision-taken': 'off' },
      },
    );
    expect(settings).toMatchObject({ email: 'anna@example.test', language: 'en', timeZone: 'Europe/Lisbon' });
    expect(settings.modes).toMatchObject({
      'call-published': 'off',
      'review-due': 'digest',
      'decision-taken': 'immediately',
      'team-invitation': 'immediately',
    });
  });

  it('refuses a mandatory kind off, naming each', () => {
    expect(mandatoryRefusals({ 'call-published': 'off', 'milestone-due': 'digest' })).toEqual([]);
    expect(
      mandatoryRefusals({ 'decision-taken': 'off', 'task-overdue': 'off', 'report-rejected': 'digest' }),
    ).toEqual([
      { path: 'kinds.decision-taken', message: 'decision-taken is mandatory: choose immediately or digest' },
      { path: 'kinds.task-overdue', message: 'task-overdue is mandatory: choose immediately or digest' },
    ]);
  });
});

describe('retries', () => {
  it('wait twice as long after each failure, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 10, 60].map((failures) => retryDelayMs(failures, 30_000, 600_000))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000,
    ]);
  });
});
