import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { ServiceName } from '@s3p/infra-local';
import {
  newServiceClientSecret,
  serviceEntry,
  serviceEnvironments,
  serviceNames,
  waitUntilReady,
} from '@s3p/infra-local';
import { freePort, freePorts } from '@s3p/testkit';
import type { StackAddresses } from './chaos-stack';

/** One running process of a service: several may run at once (`instance` 0, 1, …). */
interface Instance {
  port: number;
  child?: ChildProcess;
}

/**
 * Every service as its own process (as `startPlatform` of the testkit, which runs one of each),
 * with room for a second instance of each: a second instance has a port of its own and
 * everything else in common (database, topics, consumer group, task queue, signing key), as a
 * second replica behind a load balancer would.
 */
export class ChaosPlatform {
  readonly topicPrefix: string;
  readonly databasePrefix: string;
  private readonly instances = new Map<ServiceName, Instance[]>();

  private constructor(
    private readonly environments: Record<ServiceName, Record<string, string>>,
    ports: Record<ServiceName, number>,
    readonly logDir: string,
    namePrefix: string,
  ) {
    this.topicPrefix = environments.calls.TOPIC_PREFIX!;
    this.databasePrefix = namePrefix;
    for (const name of serviceNames) this.instances.set(name, [{ port: ports[name] }]);
    process.once('exit', () => {
      for (const list of this.instances.values())
        for (const instance of list) instance.child?.kill('SIGKILL');
    });
  }

  static async start(addresses: StackAddresses, logDir: string): Promise<ChaosPlatform> {
    const ports = {} as Record<ServiceName, number>;
    const free = await freePorts(serviceNames.length);
    serviceNames.forEach((name, i) => (ports[name] = free[i]!));
    const namePrefix = 'chaos_';
    const environments = serviceEnvironments({
      ports,
      ...addresses.services,
      namePrefix,
      portalKeyDir: path.join(logDir, 'portal-key'),
      serviceClientSecret: newServiceClientSecret(),
      logLevel: 'warn',
    });
    // The portal answers 503 with Retry-After for a service silent this long (default 30 s); the
    // harness counts an answer after 15 s as a hang, so the portal must give up before that.
    environments.portal = { ...environments.portal, UPSTREAM_TIMEOUT_MS: '10000' };
    const platform = new ChaosPlatform(environments, ports, logDir, namePrefix);
    try {
      // One after another, the portal first (the others fetch its JWKS): services that start at
      // once race to create the same topics, and the loser of the race fails its start.
      for (const name of serviceNames) await platform.start(name, 0);
    } catch (error) {
      await platform.stop();
      throw error;
    }
    return platform;
  }

  url(name: ServiceName, instance = 0): string {
    return `http://127.0.0.1:${this.list(name)[instance]!.port}`;
  }

  /** The portals that run now: the bots go to any of them, as through a load balancer. */
  portals(): string[] {
    return this.list('portal')
      .filter((instance) => running(instance.child))
      .map((instance) => `http://127.0.0.1:${instance.port}`);
  }

  /** Every portal, running or not. */
  allPortals(): string[] {
    return this.list('portal').map((instance) => `http://127.0.0.1:${instance.port}`);
  }

  instanceCount(name: ServiceName): number {
    return this.list(name).length;
  }

  /** Starts the instance (a new one when `instance` is the next number) and waits until it is ready. */
  async start(name: ServiceName, instance: number): Promise<void> {
    const list = this.list(name);
    if (instance === list.length) list.push({ port: await freePort() });
    const slot = list[instance];
    if (!slot) throw new Error(`${name} has no instance ${instance}`);
    if (running(slot.child)) return;
    const log = createWriteStream(path.join(this.logDir, `${name}-${instance}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['--enable-source-maps', serviceEntry(name)], {
      env: { ...process.env, NODE_ENV: 'test', ...this.environments[name], PORT: String(slot.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    slot.child = child;
    try {
      await waitUntilReady(`http://127.0.0.1:${slot.port}`, 90_000, () => running(child));
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(
        `${name} #${instance} did not start: ${(error as Error).message}; see ${this.logDir}/${name}-${instance}.log`,
      );
    }
  }

  /** SIGKILL (no graceful anything) unless told otherwise; resolves once the process is gone. */
  async kill(name: ServiceName, instance: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.list(name)[instance]?.child;
    if (!child || !running(child)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    // A graceful stop that drags on (a worker waiting for its activities) ends as a kill.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  /** Every instance, gracefully (a kill after 20 s). */
  async stop(): Promise<void> {
    for (const name of [...serviceNames].reverse()) {
      for (let i = 0; i < this.list(name).length; i++) await this.kill(name, i, 'SIGTERM');
    }
  }

  private list(name: ServiceName): Instance[] {
    return this.instances.get(name)!;
  }
}

const running = (child: ChildProcess | undefined): child is ChildProcess =>
  child !== undefined && child.exitCode === null && child.signalCode === null;
