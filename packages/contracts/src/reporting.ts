import { z } from 'zod';
import { envelope } from './events/envelope';

const timestamp = z.iso.datetime({ offset: true });

export const milestoneVerdict = z.enum(['accepted', 'rejected']);
export type MilestoneVerdict = z.infer<typeof milestoneVerdict>;

export const reportingEvents = {
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
  /** The final report is accepted: the pilot closes. */
  finalReportAccepted: envelope(
    'final-report.accepted',
    1,
    z.strictObject({ pilotId: z.string().min(1), acceptedAt: timestamp }),
  ),
} as const;
