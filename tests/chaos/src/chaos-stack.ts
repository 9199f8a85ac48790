import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Component, InfraConfig } from '@s3p/infra-local';
import { components, loadInfraConfig, logFile, stackPortVariables, toxiproxy } from '@s3p/infra-local';
import { freePort } from '@s3p/testkit';
import { Toxiproxy } from './toxiproxy-client';

/** The parts of the harness's own stack it may stop: the services reach each through a proxy. */
export type StackPart = 'kafka' | 'ferretdb' | 'temporal';
export type ProxiedPart = StackPart;
type PartName = StackPart | 'mailpit' | 'toxiproxy';

/** Where the services find the stack (through Toxiproxy) and where the harness reads it (directly). */
export interface StackAddresses {
  /** Through Toxiproxy: what the services are given. */
  services: { kafkaBrokers: string; mongoUri: string; temporalAddress: string; smtpUrl: string };
  /** Straight to the stack: what the harness checks with, so that its checks suffer no fault. */
  direct: { kafkaBrokers: string; mongoUri: string; temporalAddress: string };
}

const componentOf = (name: PartName): Component<string> => {
  if (name === 'toxiproxy') return toxiproxy;
  const found = components.find((c) => c.name === name);
  if (!found) throw new Error(`infra/local has no component ${name}`);
  return found;
};

/**
 * Kafka with a second listener for the clients that go through Toxiproxy. A broker tells its
 * clients where to reconnect (its advertised listener): advertised on Toxiproxy's port, every
 * connection of the services, not only the first, goes through the proxy. The first listener
 * stays direct for the harness.
 */
function proxiedKafka(listenerPort: number, proxyPort: number): Component<string> {
  const kafka = componentOf('kafka');
  return {
    ...kafka,
    ports: (config) => [...kafka.ports(config), listenerPort],
    launch(config) {
      const launch = kafka.launch(config);
      const { kafka: port, kafkaController: controller } = config.ports;
      const override = (setting: string) => ['--override', setting];
      return {
        ...launch,
        args: [
          ...launch.args,
          ...override(
            `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller},PROXIED://127.0.0.1:${listenerPort}`,
          ),
          ...override(`advertised.listeners=PLAINTEXT://127.0.0.1:${port},PROXIED://127.0.0.1:${proxyPort}`),
          ...override(
            'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PROXIED:PLAINTEXT',
          ),
        ],
      };
    },
  };
}

/**
 * A stack of the harness's own (FerretDB, Temporal, Kafka, Mailpit and Toxiproxy from infra/local,
 * in a state directory and on ports of its own), so that stopping a part of it disturbs no other
 * test on the shared stack. Its processes are children of the harness and die with it.
 */
export class ChaosStack {
  readonly toxiproxy: Toxiproxy;
  private readonly running = new Map<PartName, ChildProcess>();
  private readonly parts: Record<PartName, Component<string>>;

  private constructor(
    readonly config: InfraConfig,
    readonly addresses: StackAddresses,
    private readonly proxyPorts: Record<ProxiedPart, number>,
    kafkaListenerPort: number,
    private readonly log: (line: string) => void,
  ) {
    this.toxiproxy = new Toxiproxy(`http://127.0.0.1:${config.ports.toxiproxy}`);
    this.parts = {
      ferretdb: componentOf('ferretdb'),
      temporal: componentOf('temporal'),
      kafka: proxiedKafka(kafkaListenerPort, proxyPorts.kafka),
      mailpit: componentOf('mailpit'),
      toxiproxy,
    };
    process.once('exit', () => this.killAll());
  }

  static async start(log: (line: string) => void): Promise<ChaosStack> {
    const stateDir = mkdtempSync(path.join(tmpdir(), 's3p-chaos-'));
    const env: NodeJS.ProcessEnv = { ...process.env, S3P_STATE_DIR: stateDir };
    for (const name of stackPortVariables) env[name] = String(await freePort());
    const config = loadInfraConfig(env);
    const proxyPorts = { kafka: await freePort(), ferretdb: await freePort(), temporal: await freePort() };
    const kafkaListenerPort = await freePort();
    const addresses: StackAddresses = {
      services: {
        kafkaBrokers: `127.0.0.1:${proxyPorts.kafka}`,
        mongoUri: `mongodb://127.0.0.1:${proxyPorts.ferretdb}/`,
        temporalAddress: `127.0.0.1:${proxyPorts.temporal}`,
        smtpUrl: `smtp://127.0.0.1:${config.ports.mailpitSmtp}`,
      },
      direct: {
        kafkaBrokers: `127.0.0.1:${config.ports.kafka}`,
        mongoUri: `mongodb://127.0.0.1:${config.ports.mongo}/`,
        temporalAddress: `127.0.0.1:${config.ports.temporal}`,
      },
    };
    const stack = new ChaosStack(config, addresses, proxyPorts, kafkaListenerPort, log);
    try {
      const all: PartName[] = ['toxiproxy', 'ferretdb', 'temporal', 'kafka', 'mailpit'];
      for (const name of all) await stack.parts[name].install(config, log);
      await Promise.all(all.map((name) => stack.startPart(name)));
      await stack.createProxies();
    } catch (error) {
      await stack.stop();
      throw error;
    }
    log(`own stack in ${stateDir}: services through Toxiproxy at ${JSON.stringify(addresses.services)}`);
    return stack;
  }

  private async createProxies(): Promise<void> {
    const upstreams: Record<ProxiedPart, number> = {
      kafka: this.parts.kafka.ports(this.config).at(-1)!,
      ferretdb: this.config.ports.mongo,
      temporal: this.config.ports.temporal,
    };
    for (const part of ['kafka', 'ferretdb', 'temporal'] as const) {
      await this.toxiproxy.createProxy(
        part,
        `127.0.0.1:${this.proxyPorts[part]}`,
        `127.0.0.1:${upstreams[part]}`,
      );
    }
  }

  /**
   * Starts a part and waits until it answers a real request. A part that exits during its start
   * is started again, twice at most: the Temporal dev server picks free ports for its internal
   * services itself and can lose one to a part starting beside it.
   */
  async startPart(name: PartName): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.launchPart(name);
      } catch (error) {
        if (!(error instanceof ExitedDuringStart) || attempt >= 3) throw error;
        this.log(`${name}: ${error.message}; starting it again`);
      }
    }
  }

  private async launchPart(name: PartName): Promise<void> {
    const component = this.parts[name];
    await component.prepare(this.config);
    const launch = component.launch(this.config);
    const log = logFile(this.config, name);
    mkdirSync(path.dirname(log), { recursive: true });
    const fd = openSync(log, 'a');
    writeSync(fd, `\n=== ${new Date().toISOString()} ${launch.command} ${launch.args.join(' ')}\n`);
    const child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.running.set(name, child);
    const deadline = Date.now() + component.startTimeoutMs;
    let last = 'no answer yet';
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.running.delete(name);
        throw new ExitedDuringStart(name, log);
      }
      try {
        await component.probe(this.config);
        await component.verify?.(this.config);
        this.log(`${name}: ready`);
        return;
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`${name} did not answer in time (${last}); see ${log}`);
      await delay(300);
    }
  }

  /**
   * Stops a part: `clean` is SIGTERM (a hard kill if it has not exited after 30 s), `hard` is
   * SIGKILL to its process group, as a crash or a power cut would.
   */
  async stopPart(name: PartName, how: 'clean' | 'hard'): Promise<void> {
    const child = this.running.get(name);
    this.running.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    signalGroup(child, how === 'clean' ? 'SIGTERM' : 'SIGKILL');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    for (const name of ['mailpit', 'kafka', 'temporal', 'ferretdb', 'toxiproxy'] as const)
      await this.stopPart(name, 'clean');
    rmSync(this.config.stateDir, { recursive: true, force: true });
  }

  private killAll(): void {
    for (const child of this.running.values()) signalGroup(child, 'SIGKILL');
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** A part's process ended before it answered; its log's last line says why. */
class ExitedDuringStart extends Error {
  constructor(name: string, log: string) {
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    super(`${name} exited during its start (${lines.at(-1)?.slice(0, 300) ?? 'no output'}); see ${log}`);
  }
}
