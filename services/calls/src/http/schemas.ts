import { callSnapshot, callStatus, euroCents, pilotType } from '@s3p/contracts';
import { pageQuery } from '@s3p/service-kit';
import { z } from 'zod';

export const callParams = z.strictObject({ id: z.string().min(1).max(100) });

export const callListQuery = pageQuery.extend({
  status: callStatus.optional(),
  pilotType: pilotType.optional(),
});

const instant = z.iso.datetime({ offset: true });

/** A call as the API answers it: its content and status, its budget, and its history's dates. */
export const callView = callSnapshot.extend({
  remainingBudget: euroCents,
  version: z.number().int().positive(),
  createdAt: instant,
  updatedAt: instant,
  publishedAt: instant.optional(),
  openedAt: instant.optional(),
  closedAt: instant.optional(),
  closeReason: z.enum(['deadline', 'manual']).optional(),
});
export type CallView = z.infer<typeof callView>;

export const callPage = z.object({ items: z.array(callView), nextCursor: z.string().optional() });

/** A reservation as answered, with the call's budget figures right after it. */
export const reservationView = z.object({
  callId: z.string(),
  applicationId: z.string(),
  amount: euroCents,
  reservedAt: instant,
  committedBudget: euroCents,
  remainingBudget: euroCents,
});
export type ReservationView = z.infer<typeof reservationView>;
