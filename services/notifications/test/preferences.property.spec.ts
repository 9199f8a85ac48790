import { memberStates } from '@s3p/contracts';
import fc from 'fast-check';
import type { NotificationKind } from '../src/domain/notification-rules';
import { isMandatory, kindNames } from '../src/domain/notification-rules';
import type { DeliveryMode } from '../src/domain/preferences';
import {
  deliveryModes,
  effectivePreferences,
  isTimeZone,
  languages,
  mandatoryRefusals,
  timeZoneOfCountry,
} from '../src/domain/preferences';

const modesArb = fc.dictionary(
  fc.constantFrom(...kindNames),
  fc.constantFrom(...deliveryModes),
) as fc.Arbitrary<Partial<Record<NotificationKind, DeliveryMode>>>;
const chosenArb = fc.option(
  fc.record(
    {
      email: fc.constantFrom('someone@example.org', 'other@example.org'),
      language: fc.constantFrom(...languages),
      timeZone: fc.constantFrom('Europe/Sofia', 'Europe/Lisbon', 'America/New_York'),
      modes: modesArb,
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);
const personArb = fc.record({
  sub: fc.constantFrom('region-bg41', 'reviewer1'),
  country: fc.option(fc.constantFrom(...memberStates, 'XX'), { nil: undefined }),
  mailDomain: fc.constant('s3p.example'),
});

describe('preference properties', () => {
  it('never switches a mandatory kind off, and keeps every other choice', () => {
    fc.assert(
      fc.property(personArb, chosenArb, (person, chosen) => {
        const { modes } = effectivePreferences(person, chosen);
        for (const kind of kindNames) {
          const picked = chosen?.modes?.[kind];
          if (isMandatory(kind)) expect(modes[kind]).not.toBe('off');
          if (picked && !(picked === 'off' && isMandatory(kind))) expect(modes[kind]).toBe(picked);
          if (!picked) expect(modes[kind]).toBe('immediately');
        }
      }),
    );
  });

  it('fills what was not chosen from the person: a made-up address, their state’s language and a real time zone', () => {
    fc.assert(
      fc.property(personArb, chosenArb, (person, chosen) => {
        const effective = effectivePreferences(person, chosen);
        expect(effective.email).toBe(chosen?.email ?? `${person.sub}@${person.mailDomain}`);
        expect(languages).toContain(effective.language);
        if (!chosen?.timeZone) expect(isTimeZone(effective.timeZone)).toBe(true);
        expect(isTimeZone(timeZoneOfCountry(person.country))).toBe(true);
      }),
    );
  });

  it('refuses exactly the mandatory kinds a person tries to switch off', () => {
    fc.assert(
      fc.property(modesArb, (modes) => {
        const refused = mandatoryRefusals(modes).map((e) => e.path);
        expect(refused).toEqual(
          kindNames.filter((k) => modes[k] === 'off' && isMandatory(k)).map((k) => `kinds.${k}`),
        );
      }),
    );
  });
});
