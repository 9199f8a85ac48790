import { expertId, memberState, teamRequirement } from '@s3p/contracts';
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

export const pilotParams = z.strictObject({ id: z.string().regex(/^[\w-]{1,100}$/, 'not a pilot id') });
export const memberParams = pilotParams.extend({ expertId });
export const assignmentParams = z.strictObject({
  id: z.string().regex(/^[\w-]{1,100}$/, 'not an assignment id'),
});

export const assignmentListQuery = z.strictObject({
  mine: z.literal('true'),
  /** Also the assignments that ended (declined, lapsed, replaced, released). */
  all: z.enum(['true', 'false']).default('false'),
});

const seatStatus = z.enum(['invited', 'accepted', 'declined', 'lapsed', 'replaced', 'released']);

const seat = z.object({
  assignmentId: z.string().optional(),
  expertId: z.string(),
  country: memberState,
  lead: z.boolean(),
  covers: z.array(z.string()).describe('keys of the requirements the member covers'),
  reasons: z.array(z.string()).optional().describe('why the member was chosen'),
  status: seatStatus,
  invitedAt: instant,
  dueAt: instant,
  answeredAt: instant.optional(),
  reason: z.string().optional(),
});

/** A team as `GET /api/pilots/{id}/team` answers it; the explanation is the Commission's only. */
export const teamView = z.object({
  pilotId: z.string(),
  teamId: z.string(),
  callId: z.string(),
  phase: z.enum(['proposing', 'inviting', 'assigned', 'failed', 'released']),
  region: z.string(),
  partners: z.array(z.string()),
  teamSize: z.number().int(),
  languages: z.array(z.string()),
  members: z.array(seat),
  explanation: z
    .object({
      attempt: z.number().int(),
      at: instant,
      requirements: z.array(teamRequirement),
      passedOver: z.array(z.object({ expertId: z.string(), reason: z.string() })),
      notes: z.array(z.string()),
    })
    .optional(),
  failure: z.object({ uncovered: z.array(teamRequirement), reason: z.string(), at: instant }).optional(),
  assignedAt: instant.optional(),
  released: z.object({ at: instant, reason: z.string() }).optional(),
});

export const assignmentView = seat.omit({ assignmentId: true, reasons: true }).extend({
  id: z.string(),
  pilotId: z.string(),
  teamId: z.string(),
  region: z.string(),
  updatedAt: instant,
});

export const assignmentList = z.object({ items: z.array(assignmentView) });
