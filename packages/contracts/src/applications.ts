import { z } from 'zod';
import { envelope } from './events/envelope';
import { euroCents } from './values/money';
import { nutsCode } from './values/nuts';
import { pilotType } from './values/pilot-type';
import { priorityDomain } from './values/priority-domain';

const text = (max: number) => z.string().trim().min(1).max(max);
const date = z.iso.date();
const timestamp = z.iso.datetime({ offset: true });

/** The six steps of an S3 strategy, summarised by the region. */
export const s3StrategySteps = [
  'contextAnalysis',
  'governance',
  'sharedVision',
  'priorities',
  'policyMix',
  'monitoring',
] as const;

/** One summary per S3 step, each shaped by `summary`. */
function strategyOf<S extends z.ZodType>(summary: S) {
  return z.strictObject(
    Object.fromEntries(s3StrategySteps.map((step) => [step, summary])) as Record<
      (typeof s3StrategySteps)[number],
      S
    >,
  );
}

/** While drafting, any step may still be empty. */
export const s3Strategy = strategyOf(text(20_000).optional());

/** What the Commission's expert teams help with (the industrial-transition pilot's promise). */
export const supportArea = z.enum([
  'innovation-capacity',
  'investment-barriers',
  'skills',
  'industrial-transition',
  'interregional-value-chains',
]);
export type SupportArea = z.infer<typeof supportArea>;

export const milestonePlan = z.strictObject({
  title: text(200),
  dueDate: date,
  deliverables: z.array(text(500)).min(1).max(20),
});
export type MilestonePlan = z.infer<typeof milestonePlan>;

export const applicationBudget = z.strictObject({
  /** The whole cost of the pilot. */
  total: euroCents,
  /** What the region asks the call for; checked against the call's ceiling. */
  requested: euroCents,
});

/**
 * What a region writes. Drafts may be incomplete; whether the application is complete for its
 * call is decided at submission. The region, status, score and receipt are never the client's.
 */
const applicationFields = z.strictObject({
  title: text(200),
  s3Strategy,
  priorityDomains: z.array(priorityDomain).max(20),
  requestedSupport: z.array(supportArea).max(5),
  supportDescription: text(10_000),
  budget: applicationBudget,
  workPlan: z.array(milestonePlan).max(50),
  /** Partner regions of an interregional partnership (the lead is the applicant). */
  partners: z.array(nutsCode).max(50),
});

export const applicationDraftBody = applicationFields
  .partial()
  .extend({ callId: z.string().min(1).max(100) });
export type ApplicationDraftBody = z.infer<typeof applicationDraftBody>;

export const applicationPatchBody = applicationFields
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'a patch must change at least one field' });
export type ApplicationPatchBody = z.infer<typeof applicationPatchBody>;

export const applicationStatus = z.enum([
  'draft',
  'submitted',
  'withdrawn',
  'eligibility',
  'ineligible',
  'evaluation',
  'decision',
  'revision',
  'rejected',
  'lapsed',
  'approved',
  'implementation',
  'closed',
]);
export type ApplicationStatus = z.infer<typeof applicationStatus>;

/** The proof a region keeps of what it submitted and when. */
export const submissionReceipt = z.strictObject({
  applicationId: z.string(),
  submissionVersion: z.number().int().positive(),
  /** sha256 of the canonical JSON of the frozen snapshot, hex. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  submittedAt: timestamp,
});
export type SubmissionReceipt = z.infer<typeof submissionReceipt>;

/** An application as frozen at submission: what the lifecycle evaluates. */
export const submittedApplication = z.strictObject({
  id: z.string(),
  callId: z.string(),
  pilotType,
  region: nutsCode,
  ...applicationFields.shape,
  /** Submitted, every step is summarised. */
  s3Strategy: strategyOf(text(20_000)),
});
export type SubmittedApplication = z.infer<typeof submittedApplication>;

export const applicationEvents = {
  drafted: envelope(
    'application.drafted',
    1,
    z.strictObject({ applicationId: z.string(), callId: z.string(), region: nutsCode }),
  ),
  partnerInvited: envelope(
    'application.partner-invited',
    1,
    z.strictObject({ applicationId: z.string(), lead: nutsCode, partner: nutsCode }),
  ),
  /** A patch took a partner off the application: it loses access and its confirmation lapses. */
  partnerRemoved: envelope(
    'application.partner-removed',
    1,
    z.strictObject({ applicationId: z.string(), lead: nutsCode, partner: nutsCode }),
  ),
  partnerConfirmed: envelope(
    'application.partner-confirmed',
    1,
    z.strictObject({ applicationId: z.string(), partner: nutsCode, confirmedAt: timestamp }),
  ),
  submitted: envelope(
    'application.submitted',
    1,
    z.strictObject({ application: submittedApplication, receipt: submissionReceipt }),
  ),
  withdrawn: envelope(
    'application.withdrawn',
    1,
    z.strictObject({ applicationId: z.string(), reason: text(2_000).optional(), withdrawnAt: timestamp }),
  ),
} as const;
