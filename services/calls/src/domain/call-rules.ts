import type { CallDraftBody, CallPatchBody, CallStatus } from '@s3p/contracts';
import { applyCallPatch } from '@s3p/contracts';
import type { FieldError } from '@s3p/service-kit';

/** What a programme manager writes in a call (the draft body, defaults applied). */
export type CallFields = CallDraftBody;
export type CallField = keyof CallFields;

export const callFieldNames: readonly CallField[] = [
  'pilotType',
  'title',
  'summary',
  'eligibility',
  'prioritySectors',
  'criteria',
  'passThreshold',
  'reviewersPerApplication',
  'scoreTolerance',
  'expertTeamSize',
  'totalBudget',
  'perApplicationCeiling',
  'opensAt',
  'closesAt',
];

/** A call as the rules see it: its content, where it stands, and its budget. */
export interface CallState extends CallFields {
  status: CallStatus;
  committedBudget: number;
}

/** A refusal the HTTP layer turns into a problem: 409 wrong state, 422 a rule broken. */
export interface Refusal {
  kind: 'refused';
  status: 409 | 422;
  detail: string;
  errors?: FieldError[];
}

const refuse = (status: 409 | 422, detail: string, errors?: FieldError[]): Refusal => ({
  kind: 'refused',
  status,
  detail,
  ...(errors ? { errors } : {}),
});

// ---------------------------------------------------------------------------------------------
// Status transitions

/** Everything that can happen to a call. */
export type CallAction = 'amend' | 'publish' | 'open' | 'close' | 'reserve';

/**
 * What may happen in which status. A draft is private until published; a published call opens on
 * its date and closes on its deadline or by hand; budget is reserved at approval, which comes
 * after the call closed as often as while it is open.
 */
const actionsByStatus: Record<CallStatus, readonly CallAction[]> = {
  draft: ['amend', 'publish'],
  scheduled: ['amend', 'open', 'close'],
  open: ['amend', 'close', 'reserve'],
  closed: ['reserve'],
};

export const mayDo = (status: CallStatus, action: CallAction): boolean =>
  actionsByStatus[status].includes(action);

/** The statuses in which an action may happen: the condition of the write that does it. */
export const statusesAllowing = (action: CallAction): CallStatus[] =>
  (Object.keys(actionsByStatus) as CallStatus[]).filter((status) => mayDo(status, action));

export const isPublished = (status: CallStatus): boolean => status !== 'draft';

/** The roles that read drafts as well as published calls. */
const readersOfDrafts: readonly string[] = ['programme-manager', 'auditor', 'service'];

/** Drafts are the programme managers' working copies; auditors and services read everything; the rest see published calls. */
export function mayRead(roles: readonly string[], status: CallStatus): boolean {
  if (roles.some((role) => readersOfDrafts.includes(role))) return true;
  return isPublished(status);
}

/** The statuses a reader may list. */
export const readableStatuses = (roles: readonly string[]): CallStatus[] =>
  (['draft', 'scheduled', 'open', 'closed'] as const).filter((status) => mayRead(roles, status));

// ---------------------------------------------------------------------------------------------
// Publication

export type PublicationDecision = { kind: 'publish'; status: 'scheduled' | 'open' } | Refusal;

/** A call is published to open on its date, or open at once when that date has passed; never after its deadline. */
export function publication(
  call: Pick<CallState, 'status' | 'opensAt' | 'closesAt'>,
  now: Date,
): PublicationDecision {
  if (!mayDo(call.status, 'publish')) {
    return refuse(409, `a ${call.status} call cannot be published; only a draft can`);
  }
  if (Date.parse(call.closesAt) <= now.getTime()) {
    return refuse(422, 'the call would close before it is published: move closesAt into the future', [
      { path: 'closesAt', message: 'the closing date has passed' },
    ]);
  }
  return { kind: 'publish', status: Date.parse(call.opensAt) <= now.getTime() ? 'open' : 'scheduled' };
}

// ---------------------------------------------------------------------------------------------
// Closing by hand

export function manualClose(status: CallStatus): { kind: 'close' } | Refusal {
  if (mayDo(status, 'close')) return { kind: 'close' };
  return refuse(
    409,
    status === 'draft'
      ? 'a draft was never published: there is nothing to close'
      : 'the call is already closed',
  );
}

// ---------------------------------------------------------------------------------------------
// Amendments

/**
 * Fields that stop changing as a call goes public. Once published the pilot type is what
 * regions read the call as; once open, regions are drafting against its eligibility, sectors,
 * criteria and threshold, and the opening date is history. Titles, texts, the deadline, the
 * budget and the evaluation's staffing may still move.
 */
export const lockedFields: Record<Exclude<CallStatus, 'closed'>, readonly CallField[]> = {
  draft: [],
  scheduled: ['pilotType'],
  open: ['pilotType', 'opensAt', 'eligibility', 'prioritySectors', 'criteria', 'passThreshold'],
};

export const amendableFields = (status: CallStatus): CallField[] =>
  status === 'closed' ? [] : callFieldNames.filter((field) => !lockedFields[status].includes(field));

export type AmendmentDecision =
  | { kind: 'unchanged' }
  | {
      kind: 'amend';
      fields: CallFields;
      changed: CallField[];
      status: CallStatus;
      remainingBudget: number;
      /** The call opened by this amendment (a scheduled call whose opening date moved to now or before). */
      opened: boolean;
      /** Its dates moved: a published call's timers must be re-armed. */
      rescheduled: boolean;
    }
  | Refusal;

/** Dates are kept in UTC so that they compare as strings in conditional writes. */
export const normalizeDate = (value: string): string => new Date(value).toISOString();

function normalizeDates<T extends Partial<Pick<CallFields, 'opensAt' | 'closesAt'>>>(fields: T): T {
  return {
    ...fields,
    ...(fields.opensAt !== undefined ? { opensAt: normalizeDate(fields.opensAt) } : {}),
    ...(fields.closesAt !== undefined ? { closesAt: normalizeDate(fields.closesAt) } : {}),
  };
}

export const normalizeCall = (fields: CallFields): CallFields => normalizeDates(fields);

/** Structural equality of two JSON values, whatever the order of their keys. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]))
    );
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) =>
      sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    );
  }
  return a === b;
}

export function pickFields(call: CallFields): CallFields {
  return Object.fromEntries(callFieldNames.map((field) => [field, call[field]])) as CallFields;
}

/**
 * What a patch does to a call: which fields really change, whether the merged call keeps every
 * rule, whether the status allows those changes, and what follows for its status, its budget
 * and its timers.
 */
export function amendment(call: CallState, patch: CallPatchBody, now: Date): AmendmentDecision {
  if (call.status === 'closed') return refuse(409, 'a closed call cannot be amended');
  const current = pickFields(call);
  const proposed = normalizeDates(patch);
  const changed = callFieldNames.filter(
    (field) => field in proposed && !sameValue(proposed[field], current[field]),
  );
  if (changed.length === 0) return { kind: 'unchanged' };

  const locked = changed.filter((field) =>
    lockedFields[call.status as keyof typeof lockedFields].includes(field),
  );
  if (locked.length > 0) {
    return refuse(
      409,
      `a ${call.status} call can no longer change ${locked.join(', ')}`,
      locked.map((field) => ({
        path: `body.${field}`,
        message: `cannot change once the call is ${call.status}`,
      })),
    );
  }

  const merged = applyCallPatch(current, proposed);
  if (!merged.success) {
    return refuse(
      422,
      'the amended call would break a rule',
      merged.error.issues.map((issue) => ({
        path: ['body', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }
  const fields = normalizeDates(merged.data);

  const errors: FieldError[] = [];
  if (
    isPublished(call.status) &&
    changed.includes('closesAt') &&
    Date.parse(fields.closesAt) <= now.getTime()
  ) {
    errors.push({
      path: 'body.closesAt',
      message: 'a published call must close in the future; close it by hand to close it now',
    });
  }
  if (fields.totalBudget < call.committedBudget) {
    errors.push({
      path: 'body.totalBudget',
      message: `${call.committedBudget} cents are already reserved; the total cannot go below that`,
    });
  }
  if (errors.length > 0) return refuse(422, 'the amended call would break a rule', errors);

  const opened = call.status === 'scheduled' && Date.parse(fields.opensAt) <= now.getTime();
  return {
    kind: 'amend',
    fields,
    changed,
    status: opened ? 'open' : call.status,
    remainingBudget: fields.totalBudget - call.committedBudget,
    opened,
    rescheduled: isPublished(call.status) && (changed.includes('opensAt') || changed.includes('closesAt')),
  };
}

// ---------------------------------------------------------------------------------------------
// Budget reservations

export interface Reservation {
  applicationId: string;
  amount: number;
  reservedAt: string;
}

export interface BudgetState {
  status: CallStatus;
  perApplicationCeiling: number;
  committedBudget: number;
  remainingBudget: number;
}

export type ReservationDecision =
  | { kind: 'reserve'; committedBudget: number; remainingBudget: number }
  | { kind: 'existing'; reservation: Reservation }
  | Refusal;

/**
 * Whether a reservation may be made against a call as read. The write that makes it repeats the
 * conditions, so a decision taken on a stale read can never over-commit.
 */
export function reservation(
  call: BudgetState,
  existing: Reservation | undefined,
  request: { applicationId: string; amount: number },
): ReservationDecision {
  if (existing) {
    if (existing.amount === request.amount) return { kind: 'existing', reservation: existing };
    return refuse(
      409,
      `application ${request.applicationId} already holds a reservation of ${existing.amount} cents`,
      [{ path: 'body.amount', message: `already reserved: ${existing.amount}` }],
    );
  }
  if (!mayDo(call.status, 'reserve')) {
    return refuse(409, `budget is reserved on an open or closed call, not a ${call.status} one`);
  }
  if (request.amount > call.perApplicationCeiling) {
    return refuse(
      422,
      `the amount exceeds the per-application ceiling of ${call.perApplicationCeiling} cents`,
      [{ path: 'body.amount', message: `at most ${call.perApplicationCeiling}` }],
    );
  }
  if (request.amount > call.remainingBudget) {
    return refuse(422, `only ${call.remainingBudget} cents of the call's budget remain`, [
      { path: 'body.amount', message: `at most ${call.remainingBudget} remain` },
    ]);
  }
  return {
    kind: 'reserve',
    committedBudget: call.committedBudget + request.amount,
    remainingBudget: call.remainingBudget - request.amount,
  };
}
