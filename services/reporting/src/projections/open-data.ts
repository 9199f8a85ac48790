import type { CallStatus } from '@s3p/contracts';
import type { CallProjection } from './call-projection';
import { eligibilityOf, outcomeOf } from './figures';
import type { PilotProjection } from './pilot-projection';
import { latest } from './projected-events';

/*
 * The CommonGrants data standard (HHS simpler-grants-protocol, "OpportunityBase" and its fields):
 * the shapes below use its field names. Amounts are decimal strings, dates ISO days with an
 * optional time, and what the standard has no field for goes into `customFields`.
 */

/** CommonGrants `Money`: a decimal string and an ISO 4217 currency. */
export interface Money {
  amount: string;
  currency: string;
}

/** CommonGrants `Event`: a named date, with a time when it has one. */
export interface KeyDate {
  name: string;
  date: string;
  time?: string;
  description?: string;
}

/** CommonGrants `CustomField`: a value the standard has no field for, with its JSON type. */
export interface CustomField {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'object' | 'array';
  value: unknown;
  description?: string;
}

/** CommonGrants `OpportunityBase`. */
export interface Opportunity {
  id: string;
  title: string;
  status: { value: 'forecasted' | 'open' | 'closed' | 'custom'; customValue?: string; description?: string };
  description: string;
  funding: {
    totalAmountAvailable?: Money;
    minAwardAmount?: Money;
    maxAwardAmount?: Money;
    minAwardCount?: number;
    maxAwardCount?: number;
    estimatedAwardCount?: number;
  };
  keyDates: { appOpens?: KeyDate; appDeadline?: KeyDate; otherDates?: Record<string, KeyDate> };
  source?: string;
  customFields?: Record<string, CustomField>;
  createdAt: string;
  lastModifiedAt: string;
}

/** CommonGrants' paginated answer to a list of opportunities. */
export interface OpportunityPage {
  status: number;
  message: string;
  items: Opportunity[];
  paginationInfo: { page: number; pageSize: number; totalItems: number; totalPages: number };
}

/** Euro cents as a CommonGrants amount, without going through a float. */
export function moneyOf(cents: number): Money {
  const whole = Math.trunc(cents / 100);
  return { amount: `${whole}.${String(cents - whole * 100).padStart(2, '0')}`, currency: 'EUR' };
}

/** What a call led to, from its applications: aggregates only, nothing about a region or a person. */
export interface CallOutcomes {
  applicationsReceived: number;
  applicationsEligible: number;
  applicationsApproved: number;
  /** In euro cents. */
  budgetCommitted: number;
  lastEventAt: string;
}

export function outcomesOf(pilots: readonly PilotProjection[]): CallOutcomes {
  return {
    applicationsReceived: pilots.length,
    applicationsEligible: pilots.filter((p) => eligibilityOf(p) === 'eligible').length,
    applicationsApproved: pilots.filter((p) => outcomeOf(p) === 'approved').length,
    budgetCommitted: pilots.reduce((sum, p) => sum + (p.approval?.amount ?? 0), 0),
    lastEventAt: pilots.reduce((at, p) => latest(at, p.lastEventAt), ''),
  };
}

const statusOf: Record<Exclude<CallStatus, 'draft'>, Opportunity['status']> = {
  scheduled: { value: 'forecasted', description: 'Published; not yet accepting applications' },
  open: { value: 'open', description: 'Accepting applications' },
  closed: { value: 'closed', description: 'No longer accepting applications' },
};

/** A key date from an instant, in UTC. */
function keyDate(name: string, instant: string, description: string): KeyDate {
  const utc = new Date(instant).toISOString();
  return { name, date: utc.slice(0, 10), time: utc.slice(11, 19), description: `${description} (UTC)` };
}

const field = (
  name: string,
  type: CustomField['type'],
  value: unknown,
  description: string,
): CustomField => ({ name, type, value, description });

/** A published call as a CommonGrants opportunity, with what it led to; undefined for a call not published. */
export function opportunityOf(call: CallProjection, outcomes: CallOutcomes): Opportunity | undefined {
  if (!call.content || call.status === 'draft') return undefined;
  const content = call.content.call;
  const createdAt = call.publishedAt ?? call.lastEventAt;
  return {
    id: call._id,
    title: content.title,
    status: statusOf[call.status],
    description: content.summary,
    funding: {
      totalAmountAvailable: moneyOf(content.totalBudget),
      maxAwardAmount: moneyOf(content.perApplicationCeiling),
    },
    keyDates: {
      appOpens: keyDate('Applications open', content.opensAt, 'The call opens for applications'),
      appDeadline: keyDate('Application deadline', content.closesAt, 'The call closes for applications'),
      ...(call.publishedAt
        ? { otherDates: { published: keyDate('Published', call.publishedAt, 'The call was published') } }
        : {}),
    },
    customFields: {
      pilotType: field('pilotType', 'string', content.pilotType, 'The S3 pilot action the call funds'),
      eligibleMemberStates: field(
        'eligibleMemberStates',
        'array',
        content.eligibility.countries,
        'Member states (ISO 3166-1 alpha-2) whose regions may apply',
      ),
      applicationsReceived: field(
        'applicationsReceived',
        'number',
        outcomes.applicationsReceived,
        'Applications submitted to the call',
      ),
      applicationsEligible: field(
        'applicationsEligible',
        'number',
        outcomes.applicationsEligible,
        'Applications that passed the eligibility checks',
      ),
      applicationsApproved: field(
        'applicationsApproved',
        'number',
        outcomes.applicationsApproved,
        'Applications approved for funding',
      ),
      budgetCommitted: field(
        'budgetCommitted',
        'object',
        moneyOf(outcomes.budgetCommitted),
        'The sum committed to the approved applications (CommonGrants Money)',
      ),
    },
    createdAt,
    lastModifiedAt: latest(call.lastEventAt, outcomes.lastEventAt),
  };
}
