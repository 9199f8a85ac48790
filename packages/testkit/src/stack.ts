import { down, loadInfraConfig, up } from '@s3p/infra-local';
import { containerRuntimeAvailable, startContainers, stopContainers } from './containers';
import type { StackEndpoints, StackPart } from './endpoints';
import { endpointsFromEnvironment, missingParts, stackEndpoints, stackParts } from './endpoints';

/** What was started for the tests, as lines that survive between processes (`infra:<name>`, `container:<id>`). */
export type StartedParts = string[];

export interface TestStack {
  endpoints: StackEndpoints;
  started: StartedParts;
  /** Where the parts that were not given came from ('environment': every part was given). */
  source: 'environment' | 'testcontainers' | 'infra-local';
}

/**
 * The real stack for tests. Each part whose endpoints the environment gives is used as it is; the
 * parts it does not give are started: as containers when a Docker engine answers, else as the
 * embedded processes of infra/local. Never a mock.
 */
export async function startTestStack(log: (line: string) => void): Promise<TestStack> {
  const missing = missingParts();
  if (missing.length === 0) return { endpoints: stackEndpoints(), started: [], source: 'environment' };
  const kept = (Object.keys(stackParts) as StackPart[]).filter((part) => !missing.includes(part));
  if (kept.length > 0) log(`using the given endpoints of ${kept.join(', ')}`);

  let source: TestStack['source'];
  let started: StartedParts;
  let startedEndpoints: Partial<StackEndpoints>;
  if (await containerRuntimeAvailable()) {
    log(`starting ${missing.join(', ')} with testcontainers`);
    const containers = await startContainers(missing);
    source = 'testcontainers';
    started = containers.containerIds.map((id) => `container:${id}`);
    startedEndpoints = containers.endpoints;
  } else {
    log(`no container runtime answers: starting ${missing.join(', ')} with infra/local`);
    const result = await up(loadInfraConfig(), missing, log);
    source = 'infra-local';
    started = result.started.map((name) => `infra:${name}`);
    startedEndpoints = result.endpoints;
  }
  const endpoints = endpointsFromEnvironment({ ...process.env, ...startedEndpoints });
  if (!endpoints) throw new Error(`${source} did not report every endpoint of ${missing.join(', ')}`);
  return { endpoints, started, source };
}

/** Stops only what `startTestStack` started. */
export async function stopTestStack(started: StartedParts, log: (line: string) => void): Promise<void> {
  const containers = started
    .filter((p) => p.startsWith('container:'))
    .map((p) => p.slice('container:'.length));
  const components = started.filter((p) => p.startsWith('infra:')).map((p) => p.slice('infra:'.length));
  if (containers.length > 0) await stopContainers(containers);
  if (components.length > 0) await down(loadInfraConfig(), components, log);
}
