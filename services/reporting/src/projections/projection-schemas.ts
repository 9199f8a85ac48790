import { actor, memberState, pilotStage, pilotType } from '@s3p/contracts';
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

export const timelineParams = z.strictObject({ id: z.string().regex(/^[\w-]{1,100}$/, 'not a pilot id') });

export const dashboardQuery = z.strictObject({
  callId: z
    .string()
    .regex(/^[\w-]{1,100}$/, 'not a call id')
    .optional(),
  pilotType: pilotType.optional(),
  country: memberState.optional().describe('the member state of the lead region'),
  stage: pilotStage.optional().describe('the stage the pilots are in now'),
});

/** CommonGrants' `PaginatedQueryParams`, with its defaults. */
export const openDataQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(100),
});

export const timelineEntryView = z.object({
  eventId: z.uuid(),
  type: z.string().describe('the event type, e.g. lifecycle.stage-changed'),
  version: z.number().int(),
  occurredAt: instant.describe('when, in UTC'),
  actor: actor.describe('who: a user with the roles it acted in, or the platform'),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()).describe('the facts of the event, by type'),
});

export const timelineView = z.object({ pilotId: z.string(), items: z.array(timelineEntryView) });

const stageTime = z.object({
  stays: z.number().int().describe('completed stays; the current stay counts once it ends'),
  totalDays: z.number(),
  averageDays: z.number(),
});

const figures = z.object({
  applications: z.number().int().describe('submitted applications'),
  eligible: z.number().int(),
  ineligible: z.number().int(),
  eligibilityRate: z.number().nullable().describe('eligible / (eligible + ineligible)'),
  approved: z.number().int(),
  rejected: z.number().int(),
  lapsed: z.number().int(),
  withdrawn: z.number().int(),
  approvalRate: z.number().nullable().describe('approved / (approved + rejected + lapsed)'),
  budgetCommitted: z.number().int().describe('sum of the approved amounts, in euro cents'),
  timeInStage: z.partialRecord(pilotStage, stageTime),
});

export const dashboardView = z.object({
  filters: dashboardQuery,
  asOf: instant.describe('when the figures were computed: they are reused for a few seconds'),
  totals: figures,
  byCall: z.array(figures.extend({ callId: z.string(), title: z.string().optional() })),
  byPilotType: z.array(figures.extend({ pilotType })),
  byCountry: z.array(figures.extend({ country: memberState })),
  byStage: z.array(figures.extend({ stage: pilotStage })),
});

/** CommonGrants `Money`. */
const money = z.strictObject({
  amount: z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string'),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

/** CommonGrants `Event`. */
const keyDate = z.strictObject({
  name: z.string(),
  date: z.iso.date(),
  // A plain time of day (CommonGrants `isoTime`), not RFC 3339's `time`, which needs an offset.
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, 'HH:MM:SS')
    .optional(),
  description: z.string().optional(),
});

/** CommonGrants `CustomField`. */
const customField = z.strictObject({
  name: z.string(),
  type: z.enum(['string', 'number', 'boolean', 'object', 'array']),
  schema: z.url().optional(),
  value: z.unknown(),
  description: z.string().optional(),
});

/** CommonGrants `OpportunityBase`: a published call, with its outcomes in `customFields`. */
export const opportunityView = z.strictObject({
  id: z.uuid(),
  title: z.string(),
  status: z.strictObject({
    value: z.enum(['forecasted', 'open', 'closed', 'custom']),
    customValue: z.string().optional(),
    description: z.string().optional(),
  }),
  description: z.string(),
  funding: z.strictObject({
    totalAmountAvailable: money.optional(),
    minAwardAmount: money.optional(),
    maxAwardAmount: money.optional(),
    minAwardCount: z.number().int().optional(),
    maxAwardCount: z.number().int().optional(),
    estimatedAwardCount: z.number().int().optional(),
  }),
  keyDates: z.strictObject({
    appOpens: keyDate.optional(),
    appDeadline: keyDate.optional(),
    otherDates: z.record(z.string(), keyDate).optional(),
  }),
  source: z.url().optional(),
  customFields: z.record(z.string(), customField).optional(),
  createdAt: z.iso.datetime(),
  lastModifiedAt: z.iso.datetime(),
});

/** CommonGrants' paginated answer. */
export const opportunityPage = z.strictObject({
  status: z.number().int(),
  message: z.string(),
  items: z.array(opportunityView),
  paginationInfo: z.strictObject({
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    totalItems: z.number().int().optional(),
    totalPages: z.number().int().optional(),
  }),
});

export const rebuildView = z.object({
  generation: z.number().int().describe('the new generation: its consumer group replays every topic'),
});
