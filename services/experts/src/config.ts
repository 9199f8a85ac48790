import { z } from 'zod';

const flag = z
  .enum(['true', 'false'])
  .default('true')
  .transform((value) => value === 'true');

const day = 24 * 60 * 60;

/** The experts service's environment, every variable with its embedded default. */
export const expertsConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8084),
  HOST: z.string().min(1).default('127.0.0.1'),
  MONGODB_URI: z.string().startsWith('mongodb').default('mongodb://127.0.0.1:27017/s3p_experts'),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('experts'),
  /** How long an invited expert has to accept or decline. */
  INVITATION_PERIOD_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(5 * day),
  /** When an expert who has not answered is reminded, before its invitation lapses. */
  INVITATION_REMINDER_BEFORE_SECONDS: z.coerce.number().int().min(1).default(day),
  /** Off only to stand for "died before publishing" in fault tests: events then wait in the outbox. */
  OUTBOX_RELAY_ENABLED: flag,
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
