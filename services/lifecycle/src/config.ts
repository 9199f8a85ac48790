import { outboxRelayEnvironment, serviceEnvironment, temporalEnvironment } from '@s3p/service-kit';
import { z } from 'zod';
import { timeOfDayPattern } from './domain/deadlines';

/** A duration in seconds, given as a whole number. */
const seconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const day = 24 * 60 * 60;

/** The lifecycle service's environment, every variable with its embedded default. */
export const lifecycleConfig = z.object({
  ...serviceEnvironment({ port: 8083, database: 's3p_lifecycle' }),
  /** This service's own identity towards the calls service (OAuth2 client credentials). */
  AUTH_TOKEN_URL: z.url().default('http://127.0.0.1:8080/api/auth/token'),
  AUTH_CLIENT_ID: z.string().min(1).default('lifecycle'),
  AUTH_CLIENT_SECRET: z.string().min(16, 'AUTH_CLIENT_SECRET must be at least 16 characters'),
  CALLS_URL: z.url().default('http://127.0.0.1:8081'),
  ...temporalEnvironment('lifecycle'),
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
  ...outboxRelayEnvironment,
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
