import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Component, ComponentName } from './component';
import { ferretdb } from './components/ferretdb';
import { kafka } from './components/kafka';
import { mailpit } from './components/mailpit';
import { temporal } from './components/temporal';
import type { InfraConfig } from './config';
import { logFile, pidFile } from './config';
import { isAlive, isPortFree, runningPid, startDetached, stopProcess, tailOf } from './supervisor';

/** In start order; stopped in reverse. */
export const components: readonly Component[] = [ferretdb, temporal, kafka, mailpit];
export const componentNames = components.map((c) => c.name);

export type Log = (line: string) => void;

export class ComponentError extends Error {
  constructor(
    readonly component: ComponentName,
    message: string,
    readonly log: string,
  ) {
    super(`${component}: ${message}\n  log: ${log}`);
  }
}

export function selectComponents(names: readonly string[]): Component[] {
  if (names.length === 0) return [...components];
  const unknown = names.filter((n) => !componentNames.includes(n as ComponentName));
  if (unknown.length > 0)
    throw new Error(`unknown component(s): ${unknown.join(', ')}; known: ${componentNames.join(', ')}`);
  return components.filter((c) => names.includes(c.name));
}

export function endpointsOf(
  config: InfraConfig,
  selected: readonly Component[] = components,
): Record<string, string> {
  return Object.assign({}, ...selected.map((c) => c.endpoints(config))) as Record<string, string>;
}

async function answers(component: Component, config: InfraConfig): Promise<boolean> {
  try {
    await component.probe(config);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilReady(component: Component, config: InfraConfig, pid: number): Promise<void> {
  const log = logFile(config, component.name);
  const deadline = Date.now() + component.startTimeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new ComponentError(
        component.name,
        `exited during start-up. Last lines of its log:\n${tailOf(log, 20)}`,
        log,
      );
    }
    try {
      await component.probe(config);
      return;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await delay(500);
  }
  throw new ComponentError(
    component.name,
    `did not answer within ${component.startTimeoutMs / 1000}s (${lastError}). Last lines of its log:\n${tailOf(log, 20)}`,
    log,
  );
}

/** An exclusive lock on the state folder, so that two `up`s at once do not start everything twice. */
async function withLock<T>(config: InfraConfig, work: () => Promise<T>): Promise<T> {
  const lock = path.join(config.stateDir, 'run', 'infra.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a process that died long ago is stale.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 20 * 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lock}`);
      await delay(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface UpResult {
  /** Components this call started (the rest were already running). */
  started: ComponentName[];
  endpoints: Record<string, string>;
}

/** Installs what is missing, starts what is not running, and waits until every component answers. */
export function up(config: InfraConfig, names: readonly string[], log: Log): Promise<UpResult> {
  const selected = selectComponents(names);
  return withLock(config, async () => {
    for (const component of selected) await component.install(config, log);
    const launched: Launched[] = [];
    try {
      for (const component of selected) {
        const pid = await launch(component, config, log);
        if (pid !== undefined) launched.push({ component, pid });
      }
      // Components start in parallel; each is waited for on its own.
      await Promise.all(launched.map(({ component, pid }) => waitUntilReady(component, config, pid)));
      for (const component of selected) await confirmReady(component, config, log);
    } catch (error) {
      // A failed start leaves nothing behind: what this call launched, it stops.
      for (const { component } of launched.reverse())
        await stopProcess(pidFile(config, component.name), 10_000);
      throw error;
    }
    return {
      started: launched.map(({ component }) => component.name),
      endpoints: endpointsOf(config, selected),
    };
  });
}

interface Launched {
  component: Component;
  pid: number;
}

/** Starts a component unless ours already runs; returns the new pid, or nothing when it was running. */
async function launch(component: Component, config: InfraConfig, log: Log): Promise<number | undefined> {
  const pidPath = pidFile(config, component.name);
  const running = runningPid(pidPath);
  if (running !== undefined) {
    log(`${component.name}: already running (pid ${running})`);
    return undefined;
  }
  for (const port of component.ports(config)) {
    if (!(await isPortFree(port))) {
      throw new ComponentError(
        component.name,
        `port ${port} is taken by a process infra/local did not start; stop it or choose other ports (S3P_*_PORT)`,
        logFile(config, component.name),
      );
    }
  }
  await component.prepare(config);
  const pid = startDetached(component.launch(config), logFile(config, component.name), pidPath);
  log(`${component.name}: started (pid ${pid}), waiting until it answers`);
  return pid;
}

async function confirmReady(component: Component, config: InfraConfig, log: Log): Promise<void> {
  if (!(await answers(component, config))) {
    throw new ComponentError(
      component.name,
      'is running but does not answer',
      logFile(config, component.name),
    );
  }
  await component.verify?.(config);
  log(`${component.name}: ready (${Object.values(component.endpoints(config)).join(', ')})`);
}

/** Stops what infra/local started; anything else on those ports is left alone. */
export async function down(config: InfraConfig, names: readonly string[], log: Log): Promise<void> {
  // Side by side: no component needs another to shut down cleanly, and Kafka's controlled
  // shutdown alone takes seconds.
  await Promise.all(
    selectComponents(names).map(async (component) => {
      const stopped = await stopProcess(pidFile(config, component.name), 30_000);
      log(`${component.name}: ${stopped ? 'stopped' : 'was not running'}`);
    }),
  );
}

export interface ComponentStatus {
  name: ComponentName;
  pid?: number;
  answering: boolean;
  endpoints: Record<string, string>;
  log: string;
}

export async function status(config: InfraConfig): Promise<ComponentStatus[]> {
  return Promise.all(
    components.map(async (component) => {
      const pid = runningPid(pidFile(config, component.name));
      return {
        name: component.name,
        ...(pid !== undefined ? { pid } : {}),
        answering: pid !== undefined && (await answers(component, config)),
        endpoints: component.endpoints(config),
        log: logFile(config, component.name),
      };
    }),
  );
}
