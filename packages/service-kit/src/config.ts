import { z } from 'zod';

export class ConfigError extends Error {}

/** Reads a service's configuration from the environment; every problem is named at once, at start-up. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** A `true`/`false` variable. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

const kafkaBrokers = z
  .string()
  .default('127.0.0.1:9092')
  .transform((value) =>
    value
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(1)).min(1));

/** A browser origin (`https://host[:port]`), exactly as a browser sends it in `Origin`; never `*`. */
const origin = z.string().refine((value) => URL.canParse(value) && new URL(value).origin === value, {
  message: 'must be an origin such as https://portal.example.eu (scheme, host and port only)',
});

const origins = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(z.array(origin));

/**
 * How a service's HTTP answers protect their callers and themselves: the origins whose pages may
 * call it from a browser (none by default: the portal's own page is same-origin), HSTS, and the
 * rate limits. The limits are per instance and generous by default, so that tests and the
 * benchmark (about 100 writes/s from one user) are never throttled; production tightens them.
 */
export const httpSecurityEnvironment = {
  CORS_ALLOWED_ORIGINS: origins,
  /** 0 leaves HSTS out (plain-HTTP development); behind TLS a year is usual. */
  HSTS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(63_072_000).default(15_552_000),
  /** POST/PUT/PATCH/DELETE per principal (the token's subject) per minute. */
  WRITE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(12_000),
};

const httpSecuritySchema = z.object(httpSecurityEnvironment);
export type HttpSecurityConfig = z.infer<typeof httpSecuritySchema>;

/** The HTTP security settings from the environment, for an app whose service passed none. */
export const httpSecurityFromEnvironment = (env: NodeJS.ProcessEnv = process.env): HttpSecurityConfig =>
  loadConfig(httpSecuritySchema, env);

/**
 * What every service reads of its environment, with the embedded default of each: where it
 * listens, its database, Kafka, how it verifies tokens, how much it logs. A service adds its own.
 */
export function serviceEnvironment(defaults: { port: number; database: string }) {
  return {
    PORT: z.coerce.number().int().min(0).max(65_535).default(defaults.port),
    HOST: z.string().min(1).default('127.0.0.1'),
    MONGODB_URI: z.string().startsWith('mongodb').default(`mongodb://127.0.0.1:27017/${defaults.database}`),
    /**
     * How long an operation waits for the database's answer before it fails as an outage; above
     * the slowest read a service makes (a scan of a large collection on FerretDB takes seconds).
     */
    MONGODB_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
    /** How long opening a connection (and a heartbeat) may take; milliseconds on a working path. */
    MONGODB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    KAFKA_BROKERS: kafkaBrokers,
    /** Prefixes topics, consumer groups and task queues: tests and side-by-side platforms isolate by it. */
    TOPIC_PREFIX: z.string().default(''),
    AUTH_JWKS_URL: z.url().default('http://127.0.0.1:8080/.well-known/jwks.json'),
    AUTH_ISSUER: z.string().min(1).default('http://localhost:8080'),
    AUTH_AUDIENCE: z.string().min(1).default('s3p-api'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ...httpSecurityEnvironment,
  };
}

/** The Temporal server a service's workers and clients use, and its task queue. */
export function temporalEnvironment(taskQueue: string) {
  return {
    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default(taskQueue),
    /**
     * Workflows the worker keeps in memory between their tasks. The SDK's default grows with the
     * heap limit (about 2,300 on a 4 GB heap, some 0.3 MB each here), so a service's memory grew
     * with its open pilots; an evicted workflow replays its history at its next task instead.
     */
    TEMPORAL_WORKFLOW_CACHE_SIZE: z.coerce.number().int().min(2).max(100_000).default(100),
  };
}

/** Off only to stand for "died before publishing" in fault tests: events then wait in the outbox. */
export const outboxRelayEnvironment = { OUTBOX_RELAY_ENABLED: flag(true) };
