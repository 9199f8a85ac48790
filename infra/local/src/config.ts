import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

const environment = z.object({
  S3P_STATE_DIR: z
    .string()
    .min(1)
    .default(path.join(homedir(), '.local', 'state', 's3-pilot')),
  S3P_CACHE_DIR: z
    .string()
    .min(1)
    .default(path.join(homedir(), '.cache', 's3-pilot')),
  S3P_KAFKA_PORT: port.default(9092),
  S3P_KAFKA_CONTROLLER_PORT: port.default(9093),
  S3P_MONGO_PORT: port.default(27017),
  S3P_FERRETDB_DEBUG_PORT: port.default(27080),
  S3P_TEMPORAL_PORT: port.default(7233),
  S3P_TEMPORAL_UI_PORT: port.default(8233),
  S3P_MAILPIT_SMTP_PORT: port.default(1025),
  S3P_MAILPIT_HTTP_PORT: port.default(8025),
  S3P_TOXIPROXY_PORT: port.default(8474),
});

/** The variables that move the stack's ports (`S3P_<PART>_PORT`): a stack of one's own sets them all. */
export const stackPortVariables: readonly string[] = Object.keys(environment.shape).filter((name) =>
  name.endsWith('_PORT'),
);

export interface InfraConfig {
  /** Data, logs and pid files of the running stack. */
  stateDir: string;
  /** Builds and downloads, reused across starts and across clones. */
  cacheDir: string;
  ports: {
    kafka: number;
    kafkaController: number;
    mongo: number;
    ferretdbDebug: number;
    temporal: number;
    temporalUi: number;
    /** Mailpit's SMTP server. */
    mailpitSmtp: number;
    /** Mailpit's web UI and HTTP API. */
    mailpitHttp: number;
    /** Toxiproxy's HTTP API (its proxies listen on ports given through that API). */
    toxiproxy: number;
  };
}

export function loadInfraConfig(env: NodeJS.ProcessEnv = process.env): InfraConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid infra/local configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    stateDir: path.resolve(e.S3P_STATE_DIR),
    cacheDir: path.resolve(e.S3P_CACHE_DIR),
    ports: {
      kafka: e.S3P_KAFKA_PORT,
      kafkaController: e.S3P_KAFKA_CONTROLLER_PORT,
      mongo: e.S3P_MONGO_PORT,
      ferretdbDebug: e.S3P_FERRETDB_DEBUG_PORT,
      temporal: e.S3P_TEMPORAL_PORT,
      temporalUi: e.S3P_TEMPORAL_UI_PORT,
      mailpitSmtp: e.S3P_MAILPIT_SMTP_PORT,
      mailpitHttp: e.S3P_MAILPIT_HTTP_PORT,
      toxiproxy: e.S3P_TOXIPROXY_PORT,
    },
  };
}

export function logFile(config: InfraConfig, component: string): string {
  return path.join(config.stateDir, 'logs', `${component}.log`);
}

export function pidFile(config: InfraConfig, component: string): string {
  return path.join(config.stateDir, 'run', `${component}.pid`);
}

export function dataDir(config: InfraConfig, component: string): string {
  return path.join(config.stateDir, component);
}
