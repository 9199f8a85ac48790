import type { Principal } from '@s3p/service-kit';
import { HttpProblem, notFound } from '@s3p/service-kit';

const commission = ['programme-manager', 'approver', 'auditor', 'service'] as const;

/** Who a pilot belongs to, as far as reading and reporting go. */
export interface PilotParties {
  region?: string;
  partners?: string[];
}

export const seesAll = (principal: Principal) =>
  principal.roles.some((role) => (commission as readonly string[]).includes(role));

const isLead = (principal: Principal, pilot: PilotParties) =>
  principal.roles.includes('region') && pilot.region !== undefined && principal.region === pilot.region;

/** The Commission and auditors read every pilot's reports; a region only those of its own pilots. */
export const mayRead = (principal: Principal, pilot: PilotParties): boolean =>
  seesAll(principal) ||
  isLead(principal, pilot) ||
  (principal.roles.includes('region') &&
    principal.region !== undefined &&
    (pilot.partners ?? []).includes(principal.region));

/** A pilot the caller may not read is, to it, not there. */
export function readable<T extends PilotParties>(
  principal: Principal,
  pilot: T | null | undefined,
  what: string,
): T {
  if (!pilot || !mayRead(principal, pilot)) throw notFound(`no such ${what}`);
  return pilot;
}

/** Only the lead region reports for its pilot; a partner reads but does not file. */
export function requireLead(principal: Principal, pilot: PilotParties): void {
  if (!isLead(principal, pilot)) {
    throw new HttpProblem(403, 'Forbidden', "only the pilot's lead region files its reports");
  }
}
