import { reportFile } from '@s3p/contracts';
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

export const pilotParams = z.strictObject({ id: z.string().regex(/^[\w-]{1,100}$/, 'not a pilot id') });
export const milestoneParams = z.strictObject({
  id: z.string().regex(/^[\w-]{1,100}-m\d{1,2}$/, 'not a milestone id'),
});
export const fileParams = z.strictObject({ id: z.uuid('not a file id') });

export const milestoneStatus = z.enum(['planned', 'due', 'overdue', 'reported', 'accepted', 'rejected']);

/** The position of the last milestone of the previous page, in base64url JSON as the list gives it. */
const milestoneCursor = z
  .string()
  .max(300)
  .transform((cursor, context) => {
    try {
      const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      const parsed = z.tuple([instant, milestoneParams.shape.id]).safeParse(position);
      if (parsed.success) return { dueAt: parsed.data[0], id: parsed.data[1] };
    } catch {
      // Not JSON: reported below as any other cursor this list did not give.
    }
    context.addIssue({ code: 'custom', message: 'not a cursor this list gave' });
    return z.NEVER;
  });

export const milestoneCursorOf = (milestone: { dueAt: string; _id: string }): string =>
  Buffer.from(JSON.stringify([milestone.dueAt, milestone._id])).toString('base64url');

export const milestoneListQuery = z.strictObject({
  status: milestoneStatus.optional(),
  pilotId: pilotParams.shape.id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: milestoneCursor.optional().describe('`nextCursor` of the previous page'),
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

export const milestonePage = milestoneList.extend({
  nextCursor: z.string().optional().describe('pass as `cursor` for the next page; absent on the last'),
});

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
