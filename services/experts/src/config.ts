import { outboxRelayEnvironment, serviceEnvironment, temporalEnvironment } from '@s3p/service-kit';
import { z } from 'zod';

const day = 24 * 60 * 60;

/** The experts service's environment, every variable with its embedded default. */
export const expertsConfig = z.object({
  ...serviceEnvironment({ port: 8084, database: 's3p_experts' }),
  ...temporalEnvironment('experts'),
  /** How long an invited expert has to accept or decline. */
  INVITATION_PERIOD_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(5 * day),
  /** When an expert who has not answered is reminded, before its invitation lapses. */
  INVITATION_REMINDER_BEFORE_SECONDS: z.coerce.number().int().min(1).default(day),
  ...outboxRelayEnvironment,
});

export type ExpertsConfig = z.infer<typeof expertsConfig>;

/** The topic the experts service owns, and the one it consumes. */
export const expertsTopics = (config: Pick<ExpertsConfig, 'TOPIC_PREFIX'>) => ({
  own: `${config.TOPIC_PREFIX}experts.events`,
  consumed: [`${config.TOPIC_PREFIX}lifecycle.events`],
});

/** Its consumer group, prefixed like the topics so that tests isolate. */
export const consumerGroup = (config: Pick<ExpertsConfig, 'TOPIC_PREFIX'>) => `${config.TOPIC_PREFIX}experts`;

export const timingOf = (config: ExpertsConfig) => ({
  invitationMs: config.INVITATION_PERIOD_SECONDS * 1_000,
  invitationReminderBeforeMs: config.INVITATION_REMINDER_BEFORE_SECONDS * 1_000,
});
