import { actor, anyEnvelope } from '@s3p/contracts';
import { pageQuery } from '@s3p/service-kit';
import { z } from 'zod';
import { chainBreakReasons } from './chain';

const instant = z.iso.datetime({ offset: true });
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash, 64 lowercase hex digits');

/** An instant as entries store theirs, in UTC, so that it compares with them as text. */
const utcInstant = instant.transform((value) => new Date(value).toISOString());

/** The sequence of the last entry of the previous page, in base64url as the list gives it. */
const auditCursor = z
  .string()
  .max(200)
  .transform((cursor) => Number(Buffer.from(cursor, 'base64url').toString('utf8')))
  .refine((sequence) => Number.isSafeInteger(sequence) && sequence >= 1, 'not a cursor this list gave');

export const auditCursorOf = (sequence: number): string =>
  Buffer.from(String(sequence)).toString('base64url');

export const auditListQuery = pageQuery
  .extend({
    subject: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('the aggregate the events are about, e.g. a pilot id'),
    type: z.string().min(1).max(100).optional().describe('an event type, e.g. lifecycle.stage-changed'),
    from: utcInstant.optional().describe('events that occurred at or after this instant'),
    to: utcInstant.optional().describe('events that occurred before this instant'),
    cursor: auditCursor.optional(),
  })
  .refine(({ from, to }) => from === undefined || to === undefined || from < to, {
    path: ['to'],
    message: 'after from',
  });

/** A head noted from an earlier verification, to check that the chain still passes through it. */
export const auditVerifyQuery = z
  .strictObject({
    entries: z.coerce.number().int().min(1).optional().describe('`entries` of an earlier verification'),
    head: sha256Hex.optional().describe('`head` of the same verification'),
  })
  .refine(({ entries, head }) => (entries === undefined) === (head === undefined), {
    path: ['head'],
    message: 'give entries and head together, as an earlier verification answered them',
  });

export const auditEntryView = z.object({
  sequence: z.number().int().min(1).describe('the place in the chain: 1, 2, … without gaps'),
  eventId: z.uuid(),
  type: z.string(),
  version: z.number().int(),
  source: z.string(),
  subject: z.string(),
  actor,
  occurredAt: instant.describe('the event’s time, in UTC'),
  recordedAt: instant.describe('when the trail took the event in'),
  topic: z.string().describe('the topic the event was read from, or its source'),
  event: anyEnvelope.describe('the whole event, as it came'),
  previousHash: sha256Hex.describe('the hash of the entry before; 64 zeros for the first'),
  hash: sha256Hex.describe(
    'SHA-256 of the canonical JSON (keys sorted recursively, no whitespace) of the entry without `hash`',
  ),
});

export const auditPage = z.object({ items: z.array(auditEntryView), nextCursor: z.string().optional() });

export const auditVerification = z.object({
  valid: z.boolean(),
  entries: z.number().int().min(0).describe('the entries found intact from the first on: all when valid'),
  head: sha256Hex.describe(
    'the hash of the last intact entry: note it with `entries` to check against later',
  ),
  firstBroken: z
    .object({
      sequence: z.number().int().min(1),
      eventId: z.string().nullable().describe('null when the entry is missing at the end'),
      reason: z.enum(chainBreakReasons),
      detail: z.string(),
    })
    .optional(),
});
