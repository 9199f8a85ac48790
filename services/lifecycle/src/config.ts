import { z } from 'zod';
import { timeOfDayPattern } from './domain/deadlines';

const flag = z
  .enum(['true', 'false'])
  .default('true')
  .transform((value) => value === 'true');

/** A duration in seconds, given as a whole number. */
const seconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const day = 24 * 60 * 60;

/** The lifecycle service's environment, every variable with its embedded default. */
export const lifecycleConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8083),
  HOST: z.string().min(1).default('127.0.0.1'),
  MONGODB_URI: z.string().startsWith('mongodb').default('mongodb://127.0.0.1:27017/s3p_lifecycle'),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(1)).min(1)),
  TOPIC_PREFIX: z.string().default(''),
  AUTH_JWKS_URL: z.url().default('http://127.0.0.1:8080/.well-known/jwks.json'),
  AUTH_ISSUER: z.string().min(1).default('http://localhost:8080'),
  AUTH_AUDIENCE: z.string().min(1).default('s3p-api'),
  /** This service's own identity towards the calls service (OAuth2 client credentials). */
  AUTH_TOKEN_URL: z.url().default('http://127.0.0.1:8080/api/auth/token'),
  AUTH_CLIENT_ID: z.string().min(1).default('lifecycle'),
  AUTH_CLIENT_SECRET: z.string().min(16, 'AUTH_CLIENT_SECRET must be at least 16 characters'),
  CALLS_URL: z.url().default('http://127.0.0.1:8081'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('lifecycle'),
  /** How long a reviewer has to review, from the assignment; a consensus step has as long. */
  REVIEW_PERIOD_SECONDS: seconds(21 * day),
  /** When reviewers are reminded, before their deadline. */
  REVIEW_REMINDER_BEFORE_SECONDS: seconds(2 * day),
  /** How long approvers have to decide before the programme manager is told. */
  DECISION_PERIOD_SECONDS: seconds(14 * day),
  /** When the region is reminded, before a milestone's due date. */
  MILESTONE_REMINDER_BEFORE_SECONDS: seconds(7 * day),
  /** A pilot short of reviewers looks at the pool again this often (and when it changes). */
  POOL_RETRY_SECONDS: seconds(60 * 60),
  /** The time of day, UTC, at which a deadline given as a day falls due. */
  DEADLINE_TIME_UTC: z.string().regex(timeOfDayPattern, 'HH:MM:SS').default('23:59:59'),
  /** Off only to stand for "died before publishing" in fault tests: events then wait in the outbox. */
  OUTBOX_RELAY_ENABLED: flag,
});

export type LifecycleConfig = z.infer<typeof lifecycleConfig>;

/** The topic the lifecycle service owns, and those it consumes. */
export const lifecycleTopics = (config: Pick<LifecycleConfig, 'TOPIC_PREFIX'>) => ({
  own: `${config.TOPIC_PREFIX}lifecycle.events`,
  consumed: ['applications.events', 'experts.events', 'reporting.events'].map(
    (topic) => `${config.TOPIC_PREFIX}${topic}`,
  ),
});

/** Its consumer group, prefixed like the topics so that tests isolate. */
export const consumerGroup = (config: Pick<LifecycleConfig, 'TOPIC_PREFIX'>) =>
  `${config.TOPIC_PREFIX}lifecycle`;

export const timingOf = (config: LifecycleConfig) => ({
  reviewPeriodMs: config.REVIEW_PERIOD_SECONDS * 1_000,
  reviewReminderBeforeMs: config.REVIEW_REMINDER_BEFORE_SECONDS * 1_000,
  milestoneReminderBeforeMs: config.MILESTONE_REMINDER_BEFORE_SECONDS * 1_000,
  poolRetryMs: config.POOL_RETRY_SECONDS * 1_000,
  decisionPeriodMs: config.DECISION_PERIOD_SECONDS * 1_000,
  deadlineTimeUtc: config.DEADLINE_TIME_UTC,
});
