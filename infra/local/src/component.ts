import type { InfraConfig } from './config';
import type { Launch } from './supervisor';

export type ComponentName = 'ferretdb' | 'temporal' | 'kafka' | 'mailpit';

/**
 * One part of the embedded stack: how to install it, start it, and know that it really answers.
 * Tools that only some commands start (Toxiproxy, for the chaos harness) have names of their own.
 */
export interface Component<Name extends string = ComponentName> {
  readonly name: Name;
  /** Ports it listens on; all must be free before it starts. */
  ports(config: InfraConfig): number[];
  /** Environment variables that point clients at it. */
  endpoints(config: InfraConfig): Record<string, string>;
  /** Idempotent and cached: the second call returns at once. */
  install(config: InfraConfig, log: (line: string) => void): Promise<void>;
  /** Runs before each start (first-start initialisation, configuration files). */
  prepare(config: InfraConfig): Promise<void>;
  launch(config: InfraConfig): Launch;
  /** Resolves when the component answers a real request; rejects otherwise. Must not hang. */
  probe(config: InfraConfig): Promise<void>;
  /** Checks made once it answers, such as the Temporal SQLite WAL journal. */
  verify?(config: InfraConfig): Promise<void>;
  /** How long it may take to answer after a start. */
  readonly startTimeoutMs: number;
}
