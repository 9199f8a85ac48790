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
  // One per expert of the registry's demo data (infra/local/src/demo-data.ts), of the same country.
  { username: 'expert01', roles: ['expert'], country: 'ES' },
  { username: 'expert02', roles: ['expert'], country: 'IT' },
  { username: 'expert03', roles: ['expert'], country: 'NL' },
  { username: 'expert04', roles: ['expert'], country: 'SE' },
  { username: 'expert05', roles: ['expert'], country: 'DE' },
  { username: 'expert06', roles: ['expert'], country: 'FR' },
  { username: 'expert07', roles: ['expert'], country: 'PL' },
  { username: 'expert08', roles: ['expert'], country: 'PT' },
  { username: 'expert09', roles: ['expert'], country: 'AT' },
  { username: 'expert10', roles: ['expert'], country: 'BE' },
  { username: 'expert11', roles: ['expert'], country: 'CZ' },
  { username: 'expert12', roles: ['expert'], country: 'DK' },
  { username: 'expert13', roles: ['expert'], country: 'FI' },
  { username: 'expert14', roles: ['expert'], country: 'IE' },
  { username: 'expert15', roles: ['expert'], country: 'GR' },
  { username: 'expert16', roles: ['expert'], country: 'HU' },
  { username: 'expert17', roles: ['expert'], country: 'RO' },
  { username: 'expert18', roles: ['expert'], country: 'SK' },
  { username: 'expert19', roles: ['expert'], country: 'SI' },
  { username: 'expert20', roles: ['expert'], country: 'HR' },
  { username: 'expert21', roles: ['expert'], country: 'LT' },
  { username: 'expert22', roles: ['expert'], country: 'LV' },
  { username: 'expert23', roles: ['expert'], country: 'EE' },
  { username: 'expert24', roles: ['expert'], country: 'BG' },
  { username: 'expert25', roles: ['expert'], country: 'LU' },
  { username: 'expert26', roles: ['expert'], country: 'MT' },
  { username: 'expert27', roles: ['expert'], country: 'CY' },
  { username: 'expert28', roles: ['expert'], country: 'ES' },
  { username: 'expert29', roles: ['expert'], country: 'IT' },
  { username: 'expert30', roles: ['expert'], country: 'DE' },
  { username: 'expert31', roles: ['expert'], country: 'FR' },
  { username: 'expert32', roles: ['expert'], country: 'NL' },
  { username: 'expert33', roles: ['expert'], country: 'PL' },
  { username: 'expert34', roles: ['expert'], country: 'AT' },
  { username: 'expert35', roles: ['expert'], country: 'SE' },
  { username: 'expert36', roles: ['expert'], country: 'PT' },
  { username: 'expert37', roles: ['expert'], country: 'BE' },
  { username: 'expert38', roles: ['expert'], country: 'CZ' },
  { username: 'expert39', roles: ['expert'], country: 'DK' },
  { username: 'expert40', roles: ['expert'], country: 'FI' },
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
