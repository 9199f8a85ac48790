import {
  applicationDraftBody,
  applicationStatus,
  eligibilityReason,
  nutsCode,
  pilotStage,
  pilotType,
  submissionReceipt,
  submittedApplication,
} from '@s3p/contracts';
import { pageQuery } from '@s3p/service-kit';
import { z } from 'zod';

const timestamp = z.iso.datetime({ offset: true });
const { callId: _callId, partners: _partners, ...content } = applicationDraftBody.shape;

export const partnerView = z.object({
  region: z.string(),
  status: z.enum(['invited', 'confirmed']),
  invitedAt: timestamp,
  confirmedAt: timestamp.optional(),
});

/** The last stage the lifecycle reported, with its reason and deadline (e.g. what to revise by when). */
export const stageView = z.object({
  name: pilotStage,
  reason: z.string(),
  /** Why the application is ineligible, rule by rule. */
  reasons: z.array(eligibilityReason).optional(),
  /** The stage's deadline: for a revision, the last moment to resubmit. */
  dueAt: timestamp.optional(),
  /** The lifecycle's count of stage changes: older or repeated reports never move the status back. */
  sequence: z.number().int().positive(),
  changedAt: timestamp,
});

/** An application as the API answers it: what the lead wrote, its partners, status and receipts. */
export const applicationView = z.object({
  id: z.string(),
  callId: z.string(),
  pilotType,
  /** The lead region. */
  region: z.string(),
  ...content,
  partners: z.array(partnerView),
  status: applicationStatus,
  version: z.number().int().positive(),
  /** Receipts of every submission, oldest first; the frozen content is under /submissions/{version}. */
  submissions: z.array(submissionReceipt),
  createdAt: timestamp,
  updatedAt: timestamp,
  submittedAt: timestamp.optional(),
  withdrawnAt: timestamp.optional(),
  withdrawalReason: z.string().optional(),
  /** Absent until the lifecycle reports a stage; the status follows it. */
  stage: stageView.optional(),
});
export type ApplicationView = z.infer<typeof applicationView>;

export const applicationPage = z.object({
  items: z.array(applicationView),
  nextCursor: z.string().optional(),
});

/** A frozen submission: recomputing the sha256 of the snapshot's canonical JSON gives the receipt's hash. */
export const submissionView = z.object({ snapshot: submittedApplication, receipt: submissionReceipt });

export const applicationListQuery = pageQuery.extend({
  callId: z.string().min(1).max(100).optional(),
  status: applicationStatus.optional(),
});

export const withdrawalBody = z.strictObject({ reason: z.string().trim().min(1).max(2_000).optional() });

export const idParams = z.object({ id: z.string() });
export const partnerParams = z.object({ id: z.string(), nutsCode });
export const submissionParams = z.object({ id: z.string(), version: z.coerce.number().int().positive() });
