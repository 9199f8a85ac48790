import { reportFile } from '@s3p/contracts';
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

export const pilotParams = z.strictObject({ id: z.string().regex(/^[\w-]{1,100}$/, 'not a pilot id') });
export const milestoneParams = z.strictObject({
  id: z.string().regex(/^[\w-]{1,100}-m\d{1,2}$/, 'not a milestone id'),
});
export const fileParams = z.strictObject({ id: z.uuid('not a file id') });

export const milestoneStatus = z.enum(['planned', 'due', 'overdue', 'reported', 'accepted', 'rejected']);

export const milestoneListQuery = z.strictObject({
  status: milestoneStatus.optional(),
  pilotId: pilotParams.shape.id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const hasControlCharacter = (name: string) => [...name].some((c) => c.charCodeAt(0) < 0x20);

export const fileUploadQuery = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((name) => !/[/\\]/.test(name) && !hasControlCharacter(name), {
      message: 'a file name without path or control characters',
    }),
});

const verdict = z.object({
  verdict: z.enum(['accepted', 'rejected']),
  note: z.string().optional(),
  verifiedAt: instant,
  auditor: z.string(),
});

export const milestoneView = z.object({
  id: z.string(),
  pilotId: z.string(),
  index: z.number().int(),
  title: z.string(),
  dueDate: z.iso.date(),
  dueAt: instant,
  plannedDeliverables: z.array(z.string()),
  region: z.string(),
  partners: z.array(z.string()),
  status: milestoneStatus,
  reports: z.array(
    z.object({
      reportId: z.string(),
      summary: z.string(),
      deliverables: z.array(z.string()),
      files: z.array(reportFile),
      reportedAt: instant,
      reportedBy: z.string(),
    }),
  ),
  verdicts: z.array(verdict),
  overdueAt: instant.optional(),
  updatedAt: instant,
});

export const milestoneList = z.object({ items: z.array(milestoneView) });

export const fileView = reportFile.extend({
  pilotId: z.string(),
  uploadedBy: z.string(),
  uploadedAt: instant,
});

export const finalReportView = z.object({
  pilotId: z.string(),
  stage: z.string().optional(),
  status: z.enum(['none', 'submitted', 'accepted', 'rejected']),
  reports: z.array(
    z.object({
      reportId: z.string(),
      summary: z.string(),
      files: z.array(reportFile),
      submittedAt: instant,
      submittedBy: z.string(),
    }),
  ),
  verdicts: z.array(verdict),
});
