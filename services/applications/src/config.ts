import { z } from 'zod';

/** The applications service's environment, every variable with its embedded default. */
export const applicationsConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8082),
  HOST: z.string().min(1).default('127.0.0.1'),
  MONGODB_URI: z.string().startsWith('mongodb').default('mongodb://127.0.0.1:27017/s3p_applications'),
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
});

export type ApplicationsConfig = z.infer<typeof applicationsConfig>;

/** The topic this service owns. */
export const applicationsTopic = (config: Pick<ApplicationsConfig, 'TOPIC_PREFIX'>) =>
  `${config.TOPIC_PREFIX}applications.events`;

/** The topic its projection of calls is fed from. */
export const callsTopic = (config: Pick<ApplicationsConfig, 'TOPIC_PREFIX'>) =>
  `${config.TOPIC_PREFIX}calls.events`;

/** The topic the lifecycle reports each pilot's changes of stage on; the status follows them. */
export const lifecycleTopic = (config: Pick<ApplicationsConfig, 'TOPIC_PREFIX'>) =>
  `${config.TOPIC_PREFIX}lifecycle.events`;

/** Its consumer group, prefixed like the topics so that tests isolate. */
export const consumerGroup = (config: Pick<ApplicationsConfig, 'TOPIC_PREFIX'>) =>
  `${config.TOPIC_PREFIX}applications`;
