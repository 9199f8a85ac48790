import type { MemberState } from '@s3p/contracts';
import type { Role } from '@s3p/service-kit';

/** A user of the embedded default: every one signs in with the password `demo`. */
export interface DemoStaff {
  username: string;
  roles: Role[];
  /** Where an expert or a reviewer comes from: neither works on pilots of their own country. */
  country?: MemberState;
}

/** The Commission side: one user per role, several where a pilot needs several (reviewers, approvers, experts). */
export const demoStaff: DemoStaff[] = [
  { username: 'manager', roles: ['programme-manager'] },
  { username: 'reviewer1', roles: ['reviewer'], country: 'NL' },
  { username: 'reviewer2', roles: ['reviewer'], country: 'AT' },
  { username: 'reviewer3', roles: ['reviewer'], country: 'IE' },
  { username: 'reviewer4', roles: ['reviewer'], country: 'DK' },
  { username: 'reviewer5', roles: ['reviewer'], country: 'LU' },
  { username: 'approver1', roles: ['approver'] },
  { username: 'approver2', roles: ['approver'] },
  { username: 'auditor', roles: ['auditor'] },
  { username: 'expert01', roles: ['expert'], country: 'ES' },
  { username: 'expert02', roles: ['expert'], country: 'IT' },
  { username: 'expert03', roles: ['expert'], country: 'NL' },
  { username: 'expert04', roles: ['expert'], country: 'SE' },
];

/**
 * NUTS-2 regions from twelve member states; each signs in as `region-<code in lower case>` and its
 * token carries the code and the region's country. Only codes of the shipped NUTS list: start-up
 * refuses one it does not know.
 */
export const demoRegions: string[] = [
  'BG41', // Yugozapaden
  'EL30', // Attiki
  'PL91', // Warszawski stołeczny
  'ES11', // Galicia
  'ITC4', // Lombardia
  'FR10', // Ile-de-France
  'DE11', // Stuttgart
  'RO32', // Bucureşti-Ilfov
  'HU11', // Budapest
  'PT17', // Área Metropolitana de Lisboa
  'SE33', // Övre Norrland
  'FI1B', // Helsinki-Uusimaa
];

/** Every demo user's password, published in the README: these accounts protect nothing. */
export const demoPassword = 'demo';
