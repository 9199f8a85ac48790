import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServiceName } from '@s3p/infra-local';
import {
  serviceEntry,
  serviceEnvironments,
  serviceNames,
  stopServices,
  waitUntilReady,
} from '@s3p/infra-local';
import { stackEndpoints } from './endpoints';
import { freePort } from './free-port';
import { isolation } from './isolation';

/**
 * Every service as its own process, as in production, on the real stack, with databases,
 * topics, consumer groups and task queues of this test file alone. A test can kill a service
 * (SIGKILL: no graceful anything) and start it again.
 */
export interface Platform {
  portal: string;
  /** Prefix of this platform's topics, consumer groups and databases. */
  topicPrefix: string;
  databasePrefix: string;
  logDir: string;
  url(name: ServiceName): string;
  kill(name: ServiceName): Promise<void>;
  start(name: ServiceName, extraEnv?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export async function startPlatform(label: string): Promise<Platform> {
  const names = isolation(label);
  const endpoints = stackEndpoints();
  const namePrefix = `${names.database}_`;
  const ports = {
    portal: await freePort(),
    calls: await freePort(),
    applications: await freePort(),
    lifecycle: await freePort(),
    experts: await freePort(),
    reporting: await freePort(),
    notifications: await freePort(),
  };
  const logDir = mkdtempSync(path.join(tmpdir(), `s3p-e2e-${names.id}-`));
  const mongoBase = new URL(endpoints.MONGODB_URI);
  mongoBase.pathname = '/';
  const environments = serviceEnvironments({
    ports,
    kafkaBrokers: endpoints.KAFKA_BROKERS,
    mongoUri: mongoBase.toString(),
    temporalAddress: endpoints.TEMPORAL_ADDRESS,
    smtpUrl: endpoints.SMTP_URL,
    namePrefix,
    portalKeyDir: path.join(logDir, 'portal-key'),
    logLevel: 'warn',
  });
  const children = new Map<ServiceName, ChildProcess>();
  const url = (name: ServiceName) => `http://127.0.0.1:${ports[name]}`;

  async function start(name: ServiceName, extraEnv: Record<string, string> = {}): Promise<void> {
    const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['--enable-source-maps', serviceEntry(name)], {
      env: { ...process.env, NODE_ENV: 'test', ...environments[name], ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    children.set(name, child);
    try {
      await waitUntilReady(url(name), 60_000, () => child.exitCode === null && child.signalCode === null);
    } catch (error) {
      throw new Error(`${name} did not start: ${(error as Error).message}; see ${logDir}/${name}.log`);
    }
  }

  async function kill(name: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = children.get(name);
    children.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  for (const name of serviceNames) await start(name);

  return {
    portal: url('portal'),
    topicPrefix: environments.calls.TOPIC_PREFIX!,
    databasePrefix: namePrefix,
    logDir,
    url,
    kill: (name) => kill(name),
    start,
    stop: () => stopServices((name) => kill(name, 'SIGTERM')),
  };
}
