import { outboxRelayEnvironment, serviceEnvironment } from '@s3p/service-kit';
import { z } from 'zod';

/** The reporting service's environment, every variable with its embedded default. */
export const reportingConfig = z.object({
  ...serviceEnvironment({ port: 8085, database: 's3p_reporting' }),
  /** A milestone is due (rather than planned) this many days before its due date. */
  MILESTONE_DUE_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /** The time of day, UTC, at which a due date falls due: the lifecycle's DEADLINE_TIME_UTC. */
  DEADLINE_TIME_UTC: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, 'HH:MM:SS')
    .default('23:59:59'),
  /** The largest report file accepted, in bytes. */
  FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(15 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  ...outboxRelayEnvironment,
});

export type ReportingConfig = z.infer<typeof reportingConfig>;

/** Every topic of the platform: the audit trail and the read models take them all in. */
export const platformTopics = ['calls', 'applications', 'lifecycle', 'experts', 'reporting'] as const;

export const reportingTopics = (config: Pick<ReportingConfig, 'TOPIC_PREFIX'>) => ({
  own: `${config.TOPIC_PREFIX}reporting.events`,
  all: platformTopics.map((topic) => `${config.TOPIC_PREFIX}${topic}.events`),
  milestones: [`${config.TOPIC_PREFIX}applications.events`, `${config.TOPIC_PREFIX}lifecycle.events`],
});

/** Consumer groups, prefixed like the topics so that tests isolate: one per reason to read. */
export const consumerGroups = (config: Pick<ReportingConfig, 'TOPIC_PREFIX'>) => ({
  milestones: `${config.TOPIC_PREFIX}reporting-milestones`,
  audit: `${config.TOPIC_PREFIX}reporting-audit`,
});
