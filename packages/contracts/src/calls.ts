import { z } from 'zod';
import { envelope } from './events/envelope';
import { memberState } from './values/country';
import { euroCents } from './values/money';
import { pilotType } from './values/pilot-type';
import { priorityDomain } from './values/priority-domain';
import { regionCategory } from './values/region-category';

const timestamp = z.iso.datetime({ offset: true });

export const evaluationCriterion = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, starting with a letter'),
  name: z.string().trim().min(3).max(200),
  /** Share of the weighted score, in percent; a call's weights add up to 100. */
  weight: z.number().positive().max(100),
  maxScore: z.number().int().min(1).max(100),
});

export const eligibilityRules = z.strictObject({
  /** Member states whose regions may apply. */
  countries: z.array(memberState).min(1).max(27),
  /** Partner regions an interregional partnership needs besides its lead, and at most. */
  minPartners: z.number().int().min(0).max(50).default(0),
  maxPartners: z.number().int().min(0).max(50).default(0),
  /** How many member states a partnership must span, the lead's included. */
  minCountries: z.number().int().min(1).max(27).default(1),
  /** Cohesion-policy categories of the regions that may apply (lead and partners); all when absent. */
  regionCategories: z.array(regionCategory).min(1).max(3).optional(),
});

/** What a programme manager writes; the status, budget figures and ids are the service's. */
const callFields = z.strictObject({
  pilotType,
  title: z.string().trim().min(3).max(200),
  summary: z.string().trim().min(1).max(10_000),
  eligibility: eligibilityRules,
  prioritySectors: z.array(priorityDomain).min(1).max(50),
  criteria: z.array(evaluationCriterion).min(1).max(20),
  /** Weighted score, in percent of the maximum, that an application must reach. */
  passThreshold: z.number().min(0).max(100),
  reviewersPerApplication: z.number().int().min(1).max(7),
  /** Commission experts in the team of each approved pilot, its lead included. */
  expertTeamSize: z.number().int().min(1).max(9),
  /** Largest difference between reviewers' weighted scores, in points of percent, before a consensus step. */
  scoreTolerance: z.number().min(0).max(100),
  totalBudget: euroCents.positive(),
  perApplicationCeiling: euroCents.positive(),
  opensAt: timestamp,
  closesAt: timestamp,
});

type CallFields = z.infer<typeof callFields>;

/** The rules that relate fields to each other, shared by a draft and by a draft after a patch. */
function checkCallRules(call: CallFields, ctx: z.RefinementCtx): void {
  const weights = call.criteria.reduce((sum, c) => sum + c.weight, 0);
  if (Math.abs(weights - 100) > 1e-9) {
    ctx.addIssue({
      code: 'custom',
      path: ['criteria'],
      message: `criterion weights add up to ${weights}, not 100`,
    });
  }
  const ids = call.criteria.map((c) => c.id);
  if (new Set(ids).size !== ids.length) {
    ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'criterion ids must be unique' });
  }
  if (call.perApplicationCeiling > call.totalBudget) {
    ctx.addIssue({
      code: 'custom',
      path: ['perApplicationCeiling'],
      message: 'the per-application ceiling cannot exceed the total budget',
    });
  }
  if (Date.parse(call.closesAt) <= Date.parse(call.opensAt)) {
    ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'a call must close after it opens' });
  }
  const { minPartners, maxPartners, minCountries } = call.eligibility;
  if (maxPartners < minPartners) {
    ctx.addIssue({
      code: 'custom',
      path: ['eligibility', 'maxPartners'],
      message: 'must be at least minPartners',
    });
  }
  if (call.pilotType === 'interregional-partnership' && minPartners < 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['eligibility', 'minPartners'],
      message: 'an interregional partnership needs at least one partner region',
    });
  }
  if (call.pilotType === 'industrial-transition' && (maxPartners > 0 || minCountries > 1)) {
    ctx.addIssue({
      code: 'custom',
      path: ['eligibility'],
      message: 'an industrial-transition pilot is one region: no partners, one country',
    });
  }
}

/** Defaults apply to a new draft only: a patch that leaves a field out must leave it as it is. */
export const callDraftBody = callFields
  .extend({
    scoreTolerance: callFields.shape.scoreTolerance.default(15),
    expertTeamSize: callFields.shape.expertTeamSize.default(3),
  })
  .superRefine(checkCallRules);
export type CallDraftBody = z.infer<typeof callDraftBody>;

/** A patch names only the fields it changes; the merged call must still satisfy every rule. */
export const callPatchBody = callFields.partial().refine((patch) => Object.keys(patch).length > 0, {
  message: 'a patch must change at least one field',
});
export type CallPatchBody = z.infer<typeof callPatchBody>;

export function applyCallPatch(call: CallFields, patch: CallPatchBody) {
  return callDraftBody.safeParse({ ...call, ...patch });
}

/**
 * What the lifecycle service asks for when an application is approved: a share of the call's
 * budget, once per application (a repeat with the same amount is the same reservation).
 */
export const budgetReservationBody = z.strictObject({
  applicationId: z.string().regex(/^[\w-]{1,100}$/, 'letters, digits, dashes or underscores, at most 100'),
  amount: euroCents.positive(),
});
export type BudgetReservationBody = z.infer<typeof budgetReservationBody>;

export const callStatus = z.enum(['draft', 'scheduled', 'open', 'closed']);
export type CallStatus = z.infer<typeof callStatus>;

/** A call as every other service sees it: its content, where it stands, and its budget. */
export const callSnapshot = z.strictObject({
  id: z.string().min(1),
  status: callStatus,
  ...callFields.shape,
  /** Calls published before teams had a size have the size the platform gave them: 3. */
  expertTeamSize: callFields.shape.expertTeamSize.default(3),
  committedBudget: euroCents,
});
export type CallSnapshot = z.infer<typeof callSnapshot>;

export const callEvents = {
  published: envelope('call.published', 1, z.strictObject({ call: callSnapshot })),
  amended: envelope('call.amended', 1, z.strictObject({ call: callSnapshot, changed: z.array(z.string()) })),
  opened: envelope('call.opened', 1, z.strictObject({ callId: z.string(), openedAt: timestamp })),
  closed: envelope(
    'call.closed',
    1,
    z.strictObject({ callId: z.string(), closedAt: timestamp, reason: z.enum(['deadline', 'manual']) }),
  ),
  budgetReserved: envelope(
    'call.budget-reserved',
    1,
    z.strictObject({
      callId: z.string(),
      applicationId: z.string(),
      amount: euroCents,
      committedBudget: euroCents,
    }),
  ),
} as const;
