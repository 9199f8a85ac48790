import { serviceEnvironment } from '@s3p/service-kit';
import { z } from 'zod';

const seconds = z.coerce.number().positive();

/** The notifications service's environment, every variable with its embedded default. */
export const notificationsConfig = z.object({
  ...serviceEnvironment({ port: 8086, database: 's3p_notifications' }),
  /** The people of the platform: the portal's demo users here; an identity provider's directory in production. */
  DIRECTORY_URL: z.url().default('http://127.0.0.1:8080/api/auth/demo-users'),
  /** How long the directory is trusted before it is read again. */
  DIRECTORY_REFRESH_SECONDS: seconds.default(300),
  /** Where mail goes: Mailpit in the embedded default, any relay in production (`smtps://user:pass@host`). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .default('smtp://127.0.0.1:1025'),
  /** Connecting, the greeting and each reply: an SMTP server that hangs counts as down after this. */
  SMTP_TIMEOUT_SECONDS: seconds.default(15),
  MAIL_FROM: z.string().min(3).default('S3 Pilot Platform <notifications@s3p.test>'),
  /** The right-hand side of every Message-ID the service writes. */
  MAIL_MESSAGE_ID_DOMAIN: z.string().min(1).default('notifications.s3p.test'),
  /** A user who gave no address is written to `<username>@MAIL_USER_DOMAIN`. */
  MAIL_USER_DOMAIN: z.string().min(1).default('users.s3p.test'),
  /** The portal's address as people open it: every notification links to its place there. */
  PORTAL_URL: z.url().default('http://localhost:8080'),
  /** First wait after a failed attempt (mail, or reaching the directory); it doubles each time. */
  RETRY_BASE_SECONDS: seconds.default(30),
  /** The longest wait between two attempts: nothing is ever given up. */
  RETRY_MAX_SECONDS: seconds.default(3_600),
  /** A user's digest goes out this long after their previous one. */
  DIGEST_PERIOD_SECONDS: seconds.default(86_400),
  /** How often the digests are checked for being due. */
  DIGEST_CHECK_SECONDS: seconds.default(60),
  /**
   * Older events update what the service knows of pilots but notify nobody: a new deployment that
   * reads the topics from their beginning does not mail years of history.
   */
  NOTIFY_MAX_AGE_SECONDS: seconds.default(7 * 86_400),
});

export type NotificationsConfig = z.infer<typeof notificationsConfig>;

/** Every topic of the platform: people are concerned by events of every service. */
export const platformTopics = ['calls', 'applications', 'lifecycle', 'experts', 'reporting'] as const;

export const notificationTopics = (config: Pick<NotificationsConfig, 'TOPIC_PREFIX'>) =>
  platformTopics.map((topic) => `${config.TOPIC_PREFIX}${topic}.events`);

/** Its consumer group, prefixed like the topics so that tests isolate. */
export const consumerGroup = (config: Pick<NotificationsConfig, 'TOPIC_PREFIX'>) =>
  `${config.TOPIC_PREFIX}notifications`;
