import type { ScenarioContext } from '../scenario';

/**
 * The baselines' shared load settings: the concurrency of the platform's own burst (S1's 64
 * region clients) and bounded phases (a full set of baselines takes about two minutes, a
 * smoke run seconds).
 */
export const httpConcurrency = 64;

export interface Phases {
  /** A main measured phase. */
  measureMs: number;
  /** A secondary phase (reads, round trips). */
  shortMs: number;
  warmupMs: number;
}

export const phasesOf = (context: ScenarioContext): Phases =>
  context.smoke
    ? { measureMs: 1_000, shortMs: 700, warmupMs: 200 }
    : { measureMs: 6_000, shortMs: 4_000, warmupMs: 1_500 };

/** Runs `cleanup` steps in order, each even if an earlier one failed; reports the first failure. */
export async function cleanUp(
  context: ScenarioContext,
  steps: [string, () => Promise<unknown>][],
): Promise<void> {
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (error) {
      context.log(`cleaning up ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
