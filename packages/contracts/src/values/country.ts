import { z } from 'zod';

/** The EU member states by ISO 3166-1 alpha-2 code (Greece is GR here; NUTS writes EL). */
export const memberStates = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
] as const;

export const memberState = z.enum(memberStates, { error: 'must be the ISO code of an EU member state' });
export type MemberState = z.infer<typeof memberState>;
