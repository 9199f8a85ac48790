import { z } from 'zod';
import type { MemberState } from './country';

/** The 24 official languages of the EU, by ISO 639-1 code. */
export const euLanguages = [
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'es',
  'et',
  'fi',
  'fr',
  'ga',
  'hr',
  'hu',
  'it',
  'lt',
  'lv',
  'mt',
  'nl',
  'pl',
  'pt',
  'ro',
  'sk',
  'sl',
  'sv',
] as const;

export const euLanguage = z.enum(euLanguages, {
  error: 'must be the ISO 639-1 code of an official EU language',
});
export type EuLanguage = z.infer<typeof euLanguage>;

/**
 * The official EU languages of each member state at national level (Regulation No 1/1958 as
 * amended, and each state's constitution). A region is served in its state's languages.
 */
export const languagesOfMemberState: Record<MemberState, readonly EuLanguage[]> = {
  AT: ['de'],
  BE: ['nl', 'fr', 'de'],
  BG: ['bg'],
  CY: ['el'],
  CZ: ['cs'],
  DE: ['de'],
  DK: ['da'],
  EE: ['et'],
  ES: ['es'],
  FI: ['fi', 'sv'],
  FR: ['fr'],
  GR: ['el'],
  HR: ['hr'],
  HU: ['hu'],
  IE: ['ga', 'en'],
  IT: ['it'],
  LT: ['lt'],
  LU: ['fr', 'de'],
  LV: ['lv'],
  MT: ['mt', 'en'],
  NL: ['nl'],
  PL: ['pl'],
  PT: ['pt'],
  RO: ['ro'],
  SE: ['sv'],
  SI: ['sl'],
  SK: ['sk'],
};
