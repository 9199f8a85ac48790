import { eligibilityReason, pendingTask, pilotStage, reviewerBody } from '@s3p/contracts';
import { pageQuery } from '@s3p/service-kit';
import { z } from 'zod';

export const pilotParams = z.strictObject({ id: z.string().regex(/^[\w-]{1,100}$/, 'not a pilot id') });
export const reviewerParams = z.strictObject({ id: z.string().regex(/^[\w.@-]{1,100}$/, 'not a user id') });

/** `GET /api/pilots`: a page of pilots (`?limit=&cursor=`), of one stage or one call if asked. */
/** `GET /api/pilots/{id}/application?version=`: an earlier submitted version (for a revision's diff). */
export const applicationVersionQuery = z.strictObject({
  version: z.coerce.number().int().min(1).optional(),
});

export const pilotListQuery = pageQuery.extend({
  stage: pilotStage.optional(),
  callId: z.string().min(1).max(100).optional(),
});

export const reviewListQuery = z.strictObject({
  mine: z.literal('true'),
  /** Also the tasks already done or left. */
  all: z.enum(['true', 'false']).default('false'),
});

/** `PUT /api/reviewers/{id}`: the pool's body is the contracts' (the portal's form checks it too). */
export { reviewerBody };
export type { ReviewerBody } from '@s3p/contracts';

const instant = z.iso.datetime({ offset: true });

/** A pilot as `GET /api/pilots/{id}` answers it (what a caller may see of it). */
export const pilotView = z.object({
  pilotId: z.string(),
  callId: z.string(),
  pilotType: z.string(),
  region: z.string(),
  partners: z.array(z.string()),
  title: z.string(),
  stage: pilotStage,
  submissionVersion: z.number().int(),
  round: z.number().int().describe('the round of evaluation; a resubmission opens a new one'),
  history: z.array(
    z.object({
      sequence: z.number().int(),
      from: pilotStage.nullable(),
      to: pilotStage,
      at: instant,
      actor: z.object({ kind: z.enum(['user', 'system']) }).passthrough(),
      reason: z.string(),
      reasons: z.array(eligibilityReason).optional(),
      dueAt: instant.optional(),
    }),
  ),
  pendingTasks: z.array(pendingTask),
  seats: z.array(
    z
      .object({ reviewer: z.string(), round: z.number().int(), assignedAt: instant, dueAt: instant })
      .passthrough(),
  ),
  score: z.number().optional(),
  passThreshold: z.number().optional(),
  decision: z
    .object({ approver: z.string(), decision: z.string(), reasons: z.string() })
    .passthrough()
    .optional(),
  team: z.object({ teamId: z.string() }).passthrough().optional(),
  milestones: z.array(z.object({ index: z.number().int(), title: z.string(), dueAt: instant }).passthrough()),
});

export const pilotList = z.object({
  items: z.array(
    z
      .object({ pilotId: z.string(), stage: pilotStage, callId: z.string(), region: z.string() })
      .passthrough(),
  ),
  nextCursor: z.string().optional().describe('pass as `cursor` for the next page; absent on the last one'),
});

export const reviewTaskList = z.object({
  items: z.array(
    z.object({
      pilotId: z.string(),
      round: z.number().int(),
      reviewer: z.string(),
      state: z.enum(['declare', 'review', 'consensus', 'done', 'vacated']),
      title: z.string(),
      dueAt: instant,
      assignedAt: instant,
    }),
  ),
});

export const reviewerView = reviewerBody.extend({
  id: z.string(),
  updatedAt: instant,
  updatedBy: z.string(),
});
