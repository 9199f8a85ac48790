import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { InfraConfig } from './config';
import { logFile, pidFile } from './config';
import { isPortFree, runningPid, startDetached, stopProcess, tailOf } from './supervisor';
import { repositoryRoot } from './versions';

/** The platform's services in start order: the portal first, since the others fetch its JWKS. */
export const serviceNames = [
  'portal',
  'calls',
  'applications',
  'lifecycle',
  'experts',
  'reporting',
  'notifications',
] as const;
export type ServiceName = (typeof serviceNames)[number];

export const defaultServicePorts: Record<ServiceName, number> = {
  portal: 8080,
  calls: 8081,
  applications: 8082,
  lifecycle: 8083,
  experts: 8084,
  reporting: 8085,
  notifications: 8086,
};

/** Where the services find the stack and each other. */
export interface PlatformSettings {
  ports: Record<ServiceName, number>;
  kafkaBrokers: string;
  /** MongoDB URI without a database: each service gets its own database on it. */
  mongoUri: string;
  temporalAddress: string;
  /** Where services send mail (`smtp://host:port`, Mailpit here); given to every service as SMTP_URL. */
  smtpUrl?: string;
  /** Prefix of databases, topics, consumer groups and task queues: tests isolate by it. */
  namePrefix: string;
  portalKeyDir: string;
  /**
   * The secret of the `lifecycle` client of the portal's client-credentials grant. Without it,
   * `serviceEnvironments` makes a new one, which the environments it answers share.
   */
  serviceClientSecret?: string;
  logLevel?: string;
}

/** The portal client a service calls the other services' APIs as (role `service`). */
export const serviceClientId = 'lifecycle';

/** A new client secret: 43 characters of base64url (no `:` or `,`, which SERVICE_CLIENTS separates with). */
export const newServiceClientSecret = (): string => randomBytes(32).toString('base64url');

/**
 * The client secret kept in the state directory (mode 0600), made on first use, so that a service
 * started later gets the secret of the portal that is already running.
 */
export function storedServiceClientSecret(stateDir: string): string {
  const dir = path.join(stateDir, 'portal');
  const file = path.join(dir, 'service-client-secret');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written aside and linked into place, so that two starts at once agree on one secret.
    const draft = `${file}.${randomUUID()}.tmp`;
    writeFileSync(draft, newServiceClientSecret(), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 16) throw new Error(`${file} holds no usable secret: delete it to make one`);
  return secret;
}

/**
 * What a service needs to get its own token from the portal (client-credentials grant; service-kit's
 * `ServiceTokens` takes exactly these).
 */
export function serviceClientEnv(
  ports: Pick<PlatformSettings['ports'], 'portal'>,
  secret: string,
): { AUTH_TOKEN_URL: string; AUTH_CLIENT_ID: string; AUTH_CLIENT_SECRET: string } {
  return {
    AUTH_TOKEN_URL: `http://127.0.0.1:${ports.portal}/api/auth/token`,
    AUTH_CLIENT_ID: serviceClientId,
    AUTH_CLIENT_SECRET: secret,
  };
}

export const serviceEntry = (name: ServiceName) =>
  path.join(repositoryRoot, 'services', name, 'dist', 'index.js');

function databaseUri(base: string, database: string): string {
  const uri = new URL(base);
  uri.pathname = `/${database}`;
  return uri.toString();
}

/** Each service's environment: the one place that says how the services are wired together. */
export function serviceEnvironments(settings: PlatformSettings): Record<ServiceName, Record<string, string>> {
  const { ports, namePrefix } = settings;
  const portal = `http://127.0.0.1:${ports.portal}`;
  const serviceClientSecret = settings.serviceClientSecret ?? newServiceClientSecret();
  const common = {
    HOST: '127.0.0.1',
    KAFKA_BROKERS: settings.kafkaBrokers,
    TOPIC_PREFIX: namePrefix.replace(/_/g, '.'),
    AUTH_JWKS_URL: `${portal}/.well-known/jwks.json`,
    AUTH_ISSUER: `http://localhost:${ports.portal}`,
    AUTH_AUDIENCE: 's3p-api',
    LOG_LEVEL: settings.logLevel ?? 'info',
    ...(settings.smtpUrl ? { SMTP_URL: settings.smtpUrl } : {}),
  };
  const database = (service: string) => databaseUri(settings.mongoUri, `${namePrefix}s3p_${service}`);
  return {
    portal: {
      ...common,
      PORT: String(ports.portal),
      CALLS_URL: `http://127.0.0.1:${ports.calls}`,
      APPLICATIONS_URL: `http://127.0.0.1:${ports.applications}`,
      LIFECYCLE_URL: `http://127.0.0.1:${ports.lifecycle}`,
      EXPERTS_URL: `http://127.0.0.1:${ports.experts}`,
      REPORTING_URL: `http://127.0.0.1:${ports.reporting}`,
      NOTIFICATIONS_URL: `http://127.0.0.1:${ports.notifications}`,
      PORTAL_KEY_DIR: settings.portalKeyDir,
      SERVICE_CLIENTS: `${serviceClientId}:${serviceClientSecret}`,
    },
    calls: {
      ...common,
      PORT: String(ports.calls),
      MONGODB_URI: database('calls'),
      TEMPORAL_ADDRESS: settings.temporalAddress,
      TEMPORAL_TASK_QUEUE: `${namePrefix}calls`,
    },
    applications: { ...common, PORT: String(ports.applications), MONGODB_URI: database('applications') },
    lifecycle: {
      ...common,
      PORT: String(ports.lifecycle),
      MONGODB_URI: database('lifecycle'),
      TEMPORAL_ADDRESS: settings.temporalAddress,
      TEMPORAL_TASK_QUEUE: `${namePrefix}lifecycle`,
      CALLS_URL: `http://127.0.0.1:${ports.calls}`,
      ...serviceClientEnv(ports, serviceClientSecret),
    },
    experts: {
      ...common,
      PORT: String(ports.experts),
      MONGODB_URI: database('experts'),
      TEMPORAL_ADDRESS: settings.temporalAddress,
      TEMPORAL_TASK_QUEUE: `${namePrefix}experts`,
    },
    reporting: { ...common, PORT: String(ports.reporting), MONGODB_URI: database('reporting') },
    notifications: {
      ...common,
      PORT: String(ports.notifications),
      MONGODB_URI: database('notifications'),
      // The embedded default's people are the portal's demo users; its links point at the portal.
      DIRECTORY_URL: `${portal}/api/auth/demo-users`,
      PORTAL_URL: `http://localhost:${ports.portal}`,
    },
  };
}

/** Polls `/readyz` until the service says it is ready. */
export async function waitUntilReady(url: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`it exited (last: ${last})`);
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(250);
  }
  throw new Error(`not ready after ${timeoutMs / 1000}s (last: ${last})`);
}

export function embeddedSettings(
  config: InfraConfig,
  env: NodeJS.ProcessEnv = process.env,
): PlatformSettings {
  const port = (name: ServiceName) =>
    Number(env[`S3P_${name.toUpperCase()}_PORT`] ?? defaultServicePorts[name]);
  return {
    ports: {
      portal: port('portal'),
      calls: port('calls'),
      applications: port('applications'),
      lifecycle: port('lifecycle'),
      experts: port('experts'),
      reporting: port('reporting'),
      notifications: port('notifications'),
    },
    kafkaBrokers: `127.0.0.1:${config.ports.kafka}`,
    mongoUri: `mongodb://127.0.0.1:${config.ports.mongo}/`,
    temporalAddress: `127.0.0.1:${config.ports.temporal}`,
    smtpUrl: `smtp://127.0.0.1:${config.ports.mailpitSmtp}`,
    namePrefix: '',
    portalKeyDir: path.join(config.stateDir, 'portal'),
    serviceClientSecret: storedServiceClientSecret(config.stateDir),
  };
}

/** Starts every service that is not running, detached, and waits until each is ready. */
export async function servicesUp(
  config: InfraConfig,
  log: (line: string) => void,
): Promise<PlatformSettings> {
  const settings = embeddedSettings(config);
  const environments = serviceEnvironments(settings);
  for (const name of serviceNames) {
    const pid = pidFile(config, `service-${name}`);
    const url = `http://127.0.0.1:${settings.ports[name]}`;
    if (runningPid(pid) === undefined) {
      if (!(await isPortFree(settings.ports[name]))) {
        throw new Error(
          `${name}: port ${settings.ports[name]} is taken by another program (set S3P_${name.toUpperCase()}_PORT)`,
        );
      }
      startDetached(
        {
          command: process.execPath,
          args: ['--enable-source-maps', serviceEntry(name)],
          cwd: repositoryRoot,
          env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development', ...environments[name] },
        },
        logFile(config, `service-${name}`),
        pid,
      );
      log(`${name}: started, waiting until it is ready`);
    }
    try {
      await waitUntilReady(url, 90_000, () => runningPid(pid) !== undefined);
    } catch (error) {
      throw new Error(
        `${name} did not become ready: ${(error as Error).message}\n${tailOf(logFile(config, `service-${name}`), 20)}\nlog: ${logFile(config, `service-${name}`)}`,
      );
    }
    log(`${name}: ready (${url})`);
  }
  return settings;
}

/**
 * Stops every service in the order a clean shutdown needs: the front door first, so that no
 * request comes in, then the rest side by side, each draining its own consumers and workers.
 */
export async function stopServices(stop: (name: ServiceName) => Promise<void>): Promise<void> {
  await stop('portal');
  await Promise.all(serviceNames.filter((name) => name !== 'portal').map(stop));
}

export function servicesDown(config: InfraConfig, log: (line: string) => void): Promise<void> {
  return stopServices(async (name) => {
    if (await stopProcess(pidFile(config, `service-${name}`), 30_000)) log(`${name}: stopped`);
  });
}
