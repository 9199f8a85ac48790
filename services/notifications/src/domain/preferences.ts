import type { MemberState } from '@s3p/contracts';
import type { NotificationKind } from './notification-rules';
import { isMandatory, kindNames } from './notification-rules';

/** The languages the messages are written in. */
export const languages = ['en', 'bg', 'sv'] as const;
export type Language = (typeof languages)[number];

/** How a person gets each kind by e-mail; the in-app inbox always lists every notice. */
export const deliveryModes = ['immediately', 'digest', 'off'] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

/** Each member state's legal time (its capital's zone: the person can choose another). */
export const memberStateTimeZones: Record<MemberState, string> = {
  AT: 'Europe/Vienna',
  BE: 'Europe/Brussels',
  BG: 'Europe/Sofia',
  CY: 'Asia/Nicosia',
  CZ: 'Europe/Prague',
  DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen',
  EE: 'Europe/Tallinn',
  ES: 'Europe/Madrid',
  FI: 'Europe/Helsinki',
  FR: 'Europe/Paris',
  GR: 'Europe/Athens',
  HR: 'Europe/Zagreb',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IT: 'Europe/Rome',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga',
  MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  RO: 'Europe/Bucharest',
  SE: 'Europe/Stockholm',
  SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava',
};

/** Commission staff carry no country: they work in Brussels. */
export const commissionTimeZone = 'Europe/Brussels';

const isMemberState = (country: string | undefined): country is MemberState =>
  country !== undefined && Object.hasOwn(memberStateTimeZones, country);

export const timeZoneOfCountry = (country: string | undefined): string =>
  isMemberState(country) ? memberStateTimeZones[country] : commissionTimeZone;

/** The state's language where the messages speak it, English elsewhere. */
export const languageOfCountry = (country: string | undefined): Language =>
  country === 'BG' ? 'bg' : country === 'SE' ? 'sv' : 'en';

/** An IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What a person chose; what they left out takes its default. */
export interface ChosenPreferences {
  email?: string;
  language?: Language;
  timeZone?: string;
  modes?: Partial<Record<NotificationKind, DeliveryMode>>;
}

export interface EffectivePreferences {
  email: string;
  language: Language;
  timeZone: string;
  modes: Record<NotificationKind, DeliveryMode>;
}

export interface PersonDefaults {
  sub: string;
  country?: string;
  /** Where an address is made up for a person who gave none. */
  mailDomain: string;
}

/** Every kind goes out at once unless the person says otherwise. */
export const defaultMode: DeliveryMode = 'immediately';

export function effectivePreferences(
  person: PersonDefaults,
  chosen: ChosenPreferences | undefined,
): EffectivePreferences {
  return {
    email: chosen?.email ?? `${person.sub}@${person.mailDomain}`,
    language: chosen?.language ?? languageOfCountry(person.country),
    timeZone: chosen?.timeZone ?? timeZoneOfCountry(person.country),
    modes: Object.fromEntries(
      kindNames.map((kind) => {
        const mode = chosen?.modes?.[kind] ?? defaultMode;
        // A mandatory kind stored as off (by a rule that changed since) still goes out.
        return [kind, mode === 'off' && isMandatory(kind) ? defaultMode : mode];
      }),
    ) as Record<NotificationKind, DeliveryMode>,
  };
}

/** The kinds a person may not switch off but tried to, as field errors. */
export function mandatoryRefusals(
  modes: Partial<Record<NotificationKind, DeliveryMode>>,
): { path: string; message: string }[] {
  return kindNames
    .filter((kind) => modes[kind] === 'off' && isMandatory(kind))
    .map((kind) => ({
      path: `kinds.${kind}`,
      message: `${kind} is mandatory: choose immediately or digest`,
    }));
}
