import { z } from 'zod';
import { envelope } from './events/envelope';
import { memberState } from './values/country';

const timestamp = z.iso.datetime({ offset: true });

/** One seat of an expert team, as the lifecycle and the region learn of it. */
export const teamMember = z.strictObject({
  expertId: z.string().min(1),
  country: memberState,
  lead: z.boolean(),
});
export type TeamMember = z.infer<typeof teamMember>;

export const expertEvents = {
  /** Every seat of the pilot's team is accepted: the pilot goes into implementation. */
  teamAssigned: envelope(
    'expert-team.assigned',
    1,
    z.strictObject({
      pilotId: z.string().min(1),
      teamId: z.string().min(1),
      members: z.array(teamMember).min(1),
      assignedAt: timestamp,
    }),
  ),
} as const;
