import { down, loadInfraConfig, up } from '@s3p/infra-local';
import { containerRuntimeAvailable, startContainers, stopContainers } from './containers';
import type { StackEndpoints } from './endpoints';
import { endpointsFromEnvironment } from './endpoints';

/** What was started for the tests, as lines that survive between processes (`infra:<name>`, `container:<id>`). */
export type StartedParts = string[];

export interface TestStack {
  endpoints: StackEndpoints;
  started: StartedParts;
  source: 'environment' | 'testcontainers' | 'infra-local';
}

/**
 * The real stack for tests: the endpoints given in the environment; else containers when a
 * Docker engine answers; else the embedded processes of infra/local. Never a mock.
 */
export async function startTestStack(log: (line: string) => void): Promise<TestStack> {
  const given = endpointsFromEnvironment();
  if (given) return { endpoints: given, started: [], source: 'environment' };

  if (await containerRuntimeAvailable()) {
    log('starting the stack with testcontainers');
    const { endpoints, containerIds } = await startContainers();
    return { endpoints, started: containerIds.map((id) => `container:${id}`), source: 'testcontainers' };
  }

  log('no container runtime answers: starting the stack with infra/local');
  const config = loadInfraConfig();
  const result = await up(config, [], log);
  const endpoints = endpointsFromEnvironment({ ...process.env, ...result.endpoints });
  if (!endpoints) throw new Error('infra/local did not report every endpoint');
  return { endpoints, started: result.started.map((name) => `infra:${name}`), source: 'infra-local' };
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
