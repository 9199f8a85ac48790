import type {
  ApplicationDraftBody,
  ApplicationStatus,
  CallSnapshot,
  MemberState,
  PilotType,
  SubmittedApplication,
} from '@s3p/contracts';
import { domainsOverlap, findNutsRegion, s3StrategySteps, submittedApplication } from '@s3p/contracts';

/** A rule an application breaks, at the field that breaks it. */
export interface FieldError {
  path: string;
  message: string;
}

/** A partner region of an interregional partnership, invited by the lead. */
export interface PartnerState {
  region: string;
  invitedAt: string;
  /** Set once the partner region itself confirms; an application is complete only when all have. */
  confirmedAt?: string;
}

/** What the lead region writes, all of it optional while drafting. */
export type ApplicationContent = Omit<ApplicationDraftBody, 'callId' | 'partners'>;

export const contentFields = [
  'title',
  's3Strategy',
  'priorityDomains',
  'requestedSupport',
  'supportDescription',
  'budget',
  'workPlan',
] as const satisfies readonly (keyof ApplicationContent)[];

export interface DraftApplication extends ApplicationContent {
  id: string;
  callId: string;
  pilotType: PilotType;
  /** The lead region, from its token. */
  region: string;
  partners: PartnerState[];
}

export type ApplicationAction = 'edit' | 'confirm-partner' | 'submit' | 'withdraw';

/**
 * What may happen in which status. A draft changes, and so does an application the approver sent
 * back for revision (until the revision's due date, see `revisionClosed`), to be submitted again.
 * Withdrawing is possible at every status before the decision is taken (`decision` is awaiting it,
 * but see `actionRefusal` for the `conditions` stage) and while a revision is asked for; the
 * lifecycle owns the stages after `submitted` and hears of the withdrawal from `application.withdrawn`.
 */
const allowed: Record<ApplicationAction, readonly ApplicationStatus[]> = {
  edit: ['draft', 'revision'],
  // A revision may bring new partners, who must confirm before the resubmission is complete.
  'confirm-partner': ['draft', 'revision'],
  submit: ['draft', 'revision'],
  withdraw: ['draft', 'submitted', 'eligibility', 'evaluation', 'decision', 'revision'],
};

export const statusesAllowing = (action: ApplicationAction): ApplicationStatus[] => [...allowed[action]];

export const mayDo = (status: ApplicationStatus, action: ApplicationAction): boolean =>
  allowed[action].includes(status);

const verbs: Record<ApplicationAction, string> = {
  edit: 'edited',
  'confirm-partner': 'confirmed by a partner',
  submit: 'submitted',
  withdraw: 'withdrawn',
};

/** An application in each status, in words that name the status. */
const inStatus: Record<ApplicationStatus, string> = {
  draft: 'a draft application',
  submitted: 'a submitted application',
  withdrawn: 'a withdrawn application',
  eligibility: 'an application in its eligibility check',
  ineligible: 'an ineligible application',
  evaluation: 'an application under evaluation',
  decision: 'an application awaiting its decision',
  revision: 'an application in revision',
  rejected: 'a rejected application',
  lapsed: 'a lapsed application',
  approved: 'an approved application',
  implementation: 'an application in implementation',
  closed: 'a closed application',
};

export const refusalOf = (status: ApplicationStatus, action: ApplicationAction): string =>
  `${inStatus[status]} cannot be ${verbs[action]}`;

/**
 * A submission is the first one from a draft, which needs the call open; from `revision` it is a
 * resubmission, which the approver asked for, whatever the call's status by now.
 */
export const isResubmission = (status: ApplicationStatus): boolean => status === 'revision';

/**
 * Why an application in revision can no longer be changed or resubmitted: its revision was due
 * (checked on this service's own clock, before the lifecycle's `lapsed` arrives). Undefined when
 * it still can, or when the action or status has no revision deadline (withdrawal has none).
 */
export function revisionClosed(
  app: { status: ApplicationStatus; stage?: { dueAt?: string } },
  action: ApplicationAction,
  now: Date,
): string | undefined {
  if (app.status !== 'revision' || action === 'withdraw') return undefined;
  const dueAt = app.stage?.dueAt;
  if (dueAt === undefined || now.getTime() < Date.parse(dueAt)) return undefined;
  return `the revision was due at ${dueAt}; the application can no longer be changed or resubmitted`;
}

/** Why an action is refused, with the HTTP status that says so: 409 wrong status, 422 too late. */
export interface ActionRefusal {
  status: 409 | 422;
  detail: string;
}

/**
 * Whether the lead (or a partner) may do this now, from the status and the lifecycle's last stage:
 * the status table above; no withdrawal once approved with conditions (the `conditions` stage
 * shows as `decision`, but its decision is taken, and the lifecycle no longer takes a withdrawal
 * there); nothing but a withdrawal after a revision was due.
 */
export function actionRefusal(
  app: { status: ApplicationStatus; stage?: { name?: string; dueAt?: string } },
  action: ApplicationAction,
  now: Date,
): ActionRefusal | undefined {
  if (!mayDo(app.status, action)) return { status: 409, detail: refusalOf(app.status, action) };
  if (action === 'withdraw' && app.status === 'decision' && app.stage?.name === 'conditions') {
    return {
      status: 409,
      detail: 'an application approved with conditions (status decision) cannot be withdrawn',
    };
  }
  const late = revisionClosed(app, action, now);
  return late === undefined ? undefined : { status: 422, detail: late };
}

/** The member state of a NUTS-2 region, or undefined for a code the platform does not know. */
export const countryOf = (region: string): MemberState | undefined => findNutsRegion(region)?.country;

/**
 * What is wrong with a list of partners whatever the rest of the application says: an
 * industrial-transition pilot is one region alone; the lead is not its own partner; no region twice.
 */
export function partnerProblems(
  lead: string,
  partners: readonly string[],
  pilotType: PilotType,
): FieldError[] {
  if (pilotType === 'industrial-transition' && partners.length > 0) {
    return [{ path: 'partners', message: 'an industrial-transition pilot has no partner regions' }];
  }
  const seen = new Set<string>();
  const problems: FieldError[] = [];
  partners.forEach((partner, i) => {
    if (partner === lead) {
      problems.push({ path: `partners.${i}`, message: 'the lead region cannot be its own partner' });
    } else if (seen.has(partner)) {
      problems.push({ path: `partners.${i}`, message: `${partner} is listed twice` });
    }
    seen.add(partner);
  });
  return problems;
}

/** Whether a region of this member state may lead an application to the call. */
export function leadProblems(lead: string, call: Pick<CallSnapshot, 'eligibility'>): FieldError[] {
  const country = countryOf(lead);
  return country && call.eligibility.countries.includes(country)
    ? []
    : [
        {
          path: 'region',
          message: `regions of ${country ?? 'your member state'} are not eligible for this call`,
        },
      ];
}

export interface PartnerChange {
  partners: PartnerState[];
  /** New partners, each to be invited. */
  invited: string[];
  /** Partners taken off: they lose access and their confirmation lapses. */
  removed: string[];
}

/** The partners after the lead lists them anew: kept ones keep their invitation and confirmation. */
export function replacePartners(
  current: readonly PartnerState[],
  next: readonly string[],
  at: string,
): PartnerChange {
  const byRegion = new Map(current.map((p) => [p.region, p]));
  const wanted = new Set(next);
  return {
    partners: next.map((region) => byRegion.get(region) ?? { region, invitedAt: at }),
    invited: next.filter((region) => !byRegion.has(region)),
    removed: current.map((p) => p.region).filter((region) => !wanted.has(region)),
  };
}

export type Confirmation =
  { kind: 'confirmed'; partners: PartnerState[] } | { kind: 'already-confirmed' } | { kind: 'not-a-partner' };

/** A partner region confirms its part in the partnership; confirming twice changes nothing. */
export function confirmPartner(partners: readonly PartnerState[], region: string, at: string): Confirmation {
  const partner = partners.find((p) => p.region === region);
  if (!partner) return { kind: 'not-a-partner' };
  if (partner.confirmedAt) return { kind: 'already-confirmed' };
  return {
    kind: 'confirmed',
    partners: partners.map((p) => (p.region === region ? { ...p, confirmedAt: at } : p)),
  };
}

const utcDay = (timestamp: string) => new Date(timestamp).toISOString().slice(0, 10);

function contentProblems(app: DraftApplication, call: CallSnapshot): FieldError[] {
  const problems: FieldError[] = [];
  const missing = (path: string, message = 'is required for a submission') =>
    problems.push({ path, message });

  if (!app.title) missing('title');
  for (const step of s3StrategySteps) {
    if (!app.s3Strategy?.[step]) missing(`s3Strategy.${step}`, 'every S3 step must be summarised');
  }

  const domains = app.priorityDomains ?? [];
  if (domains.length === 0) missing('priorityDomains', 'name at least one priority domain');
  else if (!domains.some((d) => call.prioritySectors.some((sector) => domainsOverlap(d, sector)))) {
    missing('priorityDomains', "at least one priority domain must be among the call's priority sectors");
  }
  if ((app.requestedSupport ?? []).length === 0) {
    missing('requestedSupport', 'name at least one area of support');
  }
  if (!app.supportDescription) missing('supportDescription');

  if (!app.budget) missing('budget');
  else {
    const { total, requested } = app.budget;
    if (requested <= 0) missing('budget.requested', 'ask for an amount above zero');
    if (requested > total) missing('budget.requested', 'cannot exceed the total cost');
    if (requested > call.perApplicationCeiling) {
      missing('budget.requested', `cannot exceed the call's ceiling of ${call.perApplicationCeiling} cents`);
    }
  }

  const workPlan = app.workPlan ?? [];
  if (workPlan.length === 0) missing('workPlan', 'plan at least one milestone');
  const closingDay = utcDay(call.closesAt);
  workPlan.forEach((milestone, i) => {
    if (milestone.dueDate <= closingDay) {
      missing(`workPlan.${i}.dueDate`, `must fall after the call closes (${closingDay})`);
    }
  });
  return problems;
}

function partnershipProblems(app: DraftApplication, call: CallSnapshot): FieldError[] {
  const regions = app.partners.map((p) => p.region);
  const problems = [
    ...leadProblems(app.region, call),
    ...partnerProblems(app.region, regions, app.pilotType),
  ];
  if (app.pilotType === 'industrial-transition') return problems;

  const { countries, minPartners, maxPartners, minCountries } = call.eligibility;
  if (regions.length < minPartners) {
    problems.push({
      path: 'partners',
      message: `the call asks for at least ${minPartners} partner region(s)`,
    });
  }
  if (regions.length > maxPartners) {
    problems.push({ path: 'partners', message: `the call allows at most ${maxPartners} partner region(s)` });
  }
  const spanned = new Set([app.region, ...regions].map((region) => countryOf(region) ?? region));
  if (spanned.size < minCountries) {
    problems.push({
      path: 'partners',
      message: `the partnership spans ${spanned.size} member state(s); the call asks for ${minCountries}`,
    });
  }
  app.partners.forEach((partner, i) => {
    const country = countryOf(partner.region);
    if (!country || !countries.includes(country)) {
      problems.push({
        path: `partners.${i}`,
        message: `regions of ${country ?? partner.region} are not eligible`,
      });
    }
    if (!partner.confirmedAt) {
      problems.push({
        path: `partners.${i}`,
        message: `${partner.region} has not confirmed the partnership`,
      });
    }
  });
  return problems;
}

/** The application as it would be frozen, before the schema has had its say. */
export const snapshotOf = (app: DraftApplication) => ({
  id: app.id,
  callId: app.callId,
  pilotType: app.pilotType,
  region: app.region,
  ...Object.fromEntries(contentFields.flatMap((f) => (app[f] === undefined ? [] : [[f, app[f]]]))),
  partners: app.partners.map((p) => p.region),
});

export type SubmissionCheck =
  { ok: true; application: SubmittedApplication } | { ok: false; errors: FieldError[] };

/**
 * Whether a draft is complete for its call, with every missing or broken item named at once so
 * that a region fixes them in one go; when complete, the application as it will be frozen.
 */
export function checkSubmission(app: DraftApplication, call: CallSnapshot): SubmissionCheck {
  const problems = [...contentProblems(app, call), ...partnershipProblems(app, call)];
  const parsed = submittedApplication.safeParse(snapshotOf(app));
  // The contract has the last word; what the rules above already named is not repeated.
  const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
  const covered = (path: string) => problems.some((p) => related(path, p.path));
  const schemaProblems = parsed.success
    ? []
    : parsed.error.issues
        .map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
        .filter((issue) => !covered(issue.path));
  const errors = [...problems, ...schemaProblems];
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, application: parsed.data };
}
