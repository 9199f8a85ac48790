import type { Platform, StackEndpoints } from '@s3p/testkit';
import type { Figure } from './results';

/**
 * What a scenario is given: whether this is a smoke run (seconds, to keep the harness working;
 * figures not kept), the stack's endpoints (Kafka, MongoDB, Temporal), and the platform, started
 * once on first use and shared by the scenarios that drive it through the portal.
 */
export interface ScenarioContext {
  smoke: boolean;
  endpoints: StackEndpoints;
  platform(): Promise<Platform>;
  /**
   * Stops the shared platform, if one runs, and starts another in its place (own databases and
   * topics): for a scenario that must not inherit the backlog of the ones before it.
   */
  freshPlatform(): Promise<Platform>;
  log(line: string): void;
}

/** One scenario of the benchmark: its figures, each with its target where the issue sets one. */
export interface Scenario {
  /** Short and stable (`B-http`, `S1 submission burst`): `--only` matches its beginning. */
  id: string;
  run(context: ScenarioContext): Promise<Figure[]>;
}
