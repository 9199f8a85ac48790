import { pageQuery } from '@s3p/service-kit';
import { z } from 'zod';
import { kindNames } from '../domain/notification-rules';
import { deliveryModes, isTimeZone, languages } from '../domain/preferences';

const instant = z.iso.datetime({ offset: true });
const kind = z.enum(kindNames);
const deliveryMode = z.enum(deliveryModes);

export const inboxQuery = pageQuery.extend({
  /** The inbox is always the caller's own; `mine=true` says so, as the API reads. */
  mine: z.literal('true', { error: 'an inbox is always your own: mine=true' }).optional(),
  unread: z.enum(['true', 'false']).optional(),
});

export const notificationParams = z.strictObject({ id: z.uuid('not a notification id') });

/** `PUT /api/notifications/preferences`: the whole of one's settings; what is left out takes its default. */
export const preferencesBody = z.strictObject({
  email: z.email().max(254).optional(),
  language: z.enum(languages).optional(),
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'not an IANA time zone this service knows, such as Europe/Sofia')
    .optional(),
  /** Per kind: immediately, digest, or off (not for mandatory kinds); the others go out immediately. */
  kinds: z.partialRecord(kind, deliveryMode).optional(),
});
export type PreferencesBody = z.infer<typeof preferencesBody>;

export const notificationView = z.object({
  id: z.uuid(),
  kind,
  mandatory: z.boolean(),
  subject: z.string(),
  /** The message in the reader's language and time zone, as plain text. */
  body: z.string(),
  /** The place in the portal the notice is about. */
  link: z.string(),
  pilotId: z.string().optional(),
  read: z.boolean(),
  readAt: instant.optional(),
  /** When what it tells of happened. */
  occurredAt: instant,
  createdAt: instant,
  updatedAt: instant,
  email: z.object({
    /** `digest`: waits for the reader's next digest; `off`: the reader chose no mail for this kind. */
    status: z.enum(['pending', 'sent', 'digest', 'off']),
    sentAt: instant.optional(),
  }),
});

export const inboxView = z.object({
  items: z.array(notificationView),
  unreadCount: z.number().int().min(0),
  nextCursor: z.string().optional(),
});

export const preferencesView = z.object({
  email: z.string(),
  language: z.enum(languages),
  timeZone: z.string(),
  kinds: z.record(kind, deliveryMode),
  /** The kinds that cannot be off. */
  mandatory: z.array(kind),
  /** 0 while the defaults stand; the ETag, for If-Match. */
  version: z.number().int().min(0),
  updatedAt: instant.optional(),
});
