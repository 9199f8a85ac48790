import { z } from 'zod';
import { envelope } from './events/envelope';

const timestamp = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);

export const milestoneVerdict = z.enum(['accepted', 'rejected']);
export type MilestoneVerdict = z.infer<typeof milestoneVerdict>;

/** The file types a report may carry: documents, spreadsheets, images, plain data. */
export const reportFileTypes = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'image/png',
  'image/jpeg',
  'text/csv',
  'text/plain',
] as const;
export const reportFileType = z.enum(reportFileTypes);

/** A stored file, as reports and their events refer to it: the hash proves what was filed. */
export const reportFile = z.strictObject({
  id: z.string().min(1),
  name: text(255),
  type: reportFileType,
  size: z.number().int().min(1),
  /** SHA-256 of the content, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ReportFile = z.infer<typeof reportFile>;

const fileIds = z.array(z.string().regex(/^[\w-]{1,100}$/, 'not a file id')).max(20);

/** `POST /api/milestones/{id}/reports` (the pilot's lead region): progress on a milestone. */
export const milestoneReportBody = z.strictObject({
  summary: text(20_000),
  /** What was delivered, each as a reference (a title, a URL, a document number). */
  deliverables: z.array(text(500)).min(1).max(50),
  /** Files uploaded before (`POST /api/pilots/{id}/files`), by id. */
  files: fileIds.default([]),
});
export type MilestoneReportBody = z.infer<typeof milestoneReportBody>;

/** `POST /api/pilots/{id}/final-report` (the pilot's lead region). */
export const finalReportBody = z.strictObject({
  summary: text(50_000),
  files: fileIds.default([]),
});
export type FinalReportBody = z.infer<typeof finalReportBody>;

/** An auditor's verdict on a milestone's report or on a final report; a rejection says why. */
export const verificationBody = z
  .strictObject({ verdict: milestoneVerdict, note: text(5_000).optional() })
  .refine((body) => body.verdict === 'accepted' || body.note !== undefined, {
    path: ['note'],
    message: 'a rejection needs a note that tells the region what to change',
  });
export type VerificationBody = z.infer<typeof verificationBody>;

export const reportingEvents = {
  /** The region reported on a milestone; an auditor verifies it. */
  milestoneReported: envelope(
    'milestone.reported',
    1,
    z.strictObject({
      pilotId: z.string().min(1),
      milestone: z.number().int().min(0),
      reportId: z.string().min(1),
      summary: text(20_000),
      deliverables: z.array(text(500)).min(1),
      files: z.array(reportFile),
      reportedAt: timestamp,
    }),
  ),
  /** An auditor's verdict on a milestone's report; a rejected report goes back to the region. */
  milestoneVerified: envelope(
    'milestone.verified',
    1,
    z.strictObject({
      pilotId: z.string().min(1),
      /** The milestone's position in the approved work plan, from 0. */
      milestone: z.number().int().min(0),
      verdict: milestoneVerdict,
      note: z.string().trim().max(5_000).optional(),
      verifiedAt: timestamp,
    }),
  ),
  finalReportSubmitted: envelope(
    'final-report.submitted',
    1,
    z.strictObject({
      pilotId: z.string().min(1),
      reportId: z.string().min(1),
      summary: text(50_000),
      files: z.array(reportFile),
      submittedAt: timestamp,
    }),
  ),
  /** The final report is accepted: the pilot closes. */
  finalReportAccepted: envelope(
    'final-report.accepted',
    1,
    z.strictObject({ pilotId: z.string().min(1), acceptedAt: timestamp }),
  ),
  /** The final report goes back to the region with the auditor's note. */
  finalReportRejected: envelope(
    'final-report.rejected',
    1,
    z.strictObject({ pilotId: z.string().min(1), note: text(5_000), rejectedAt: timestamp }),
  ),
} as const;
