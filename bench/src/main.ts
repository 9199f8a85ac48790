import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Platform } from '@s3p/testkit';
import { stackEndpoints, startPlatform } from '@s3p/testkit';
import { againstBaselines, againstBaselinesId } from './against-baselines';
import { bDbFilters } from './baselines/db-filters';
import { bExpress, bHttp } from './baselines/http';
import { bHttpDb } from './baselines/http-db';
import { bKafka } from './baselines/kafka';
import { bTemporal } from './baselines/temporal';
import type { Figure, Run } from './results';
import { merged, table } from './results';
import type { Scenario } from './scenario';
import { auditorReads } from './scenarios/auditor-reads';
import { coldStart } from './scenarios/cold-start';
import { footprint } from './scenarios/footprint';
import { soak } from './scenarios/soak';
import { steadyFlow } from './scenarios/steady-flow';
import { submissionBurst } from './scenarios/submission-burst';
import { uiFirstPage } from './scenarios/ui-first-page';
import { wholeLifecycle } from './scenarios/whole-lifecycle';

/**
 * `npm run bench` (bench/run.sh starts the stack and builds first): every scenario in one run,
 * written to results/<date>.json and results/<date>.md, and the table printed.
 * `--smoke` runs each scenario briefly (CI keeps the harness from rotting; its figures are not
 * kept); `--only <id prefix>` runs the matching scenarios (the soak runs only so, or briefly in a
 * smoke run) and keeps the day's other figures.
 */
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const resultsDir = path.join(__dirname, '..', 'results');

/**
 * In the order they run: the cold start and the baselines first, on a machine the platform does
 * not load yet; S2 on a platform of its own, S3 after it (it copies the pilots S2 put through
 * that platform) and U1 while that platform is quiet; S1 before Footprint (which reports what was
 * sampled during S1); S1b last, on a platform of its own, as S1 leaves minutes of backlog behind.
 */
const scenarios: Scenario[] = [
  coldStart,
  bHttp,
  bExpress,
  bHttpDb,
  bDbFilters,
  bKafka,
  bTemporal,
  wholeLifecycle,
  auditorReads,
  uiFirstPage,
  submissionBurst,
  footprint,
  steadyFlow,
];

/** Too long for the full run's fifteen minutes: run by `--only`, and briefly in a smoke run. */
const onRequest: Scenario[] = [soak];

async function main(): Promise<void> {
  const chosen = only
    ? [...scenarios, ...onRequest].filter((scenario) => scenario.id.startsWith(only))
    : [...scenarios, ...(smoke ? onRequest : [])];
  if (chosen.length === 0) throw new Error(`no scenario starts with ${only}`);
  let platform: Promise<Platform> | undefined;
  const stopPlatform = async () => {
    const running = platform;
    platform = undefined;
    if (running) await (await running).stop();
  };
  const log = (line: string) => console.error(`[bench] ${line}`);
  const context = {
    smoke,
    endpoints: stackEndpoints(),
    platform: () => (platform ??= startPlatform('bench')),
    freshPlatform: async () => {
      await stopPlatform();
      return (platform = startPlatform('bench'));
    },
    log,
  };
  // An interrupted run stops the services it started rather than leaving them behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the platform`);
      void stopPlatform().finally(() => process.exit(130));
    });
  }
  const figures: Figure[] = [];
  let failures = 0;
  const runBegan = performance.now();
  try {
    for (const scenario of chosen) {
      const began = performance.now();
      log(`${scenario.id}…`);
      try {
        figures.push(...(await scenario.run(context)));
      } catch (error) {
        // The other scenarios' figures are kept; the failure is a figure too, and fails the command.
        failures++;
        console.error(error);
        figures.push(failedFigure(scenario, error));
      }
      log(`${scenario.id}: ${((performance.now() - began) / 1000).toFixed(0)} s`);
    }
  } finally {
    await stopPlatform();
  }
  if (!smoke && !only) figures.push(wholeRunFigure((performance.now() - runBegan) / 1000));
  const date = new Date().toISOString().slice(0, 10);
  const run: Run = {
    date,
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
    },
    smoke,
    figures,
  };
  const written = smoke ? withRatios(run) : keep(run);
  console.log(table(written));
  if (failures > 0) {
    // Again after the table: a log cut to its last lines (CI's) still says what failed and why.
    for (const figure of run.figures.filter((f) => f.metric === 'failed')) {
      console.error(`[bench] ${figure.scenario} failed: ${figure.note ?? ''}`);
    }
    console.error(`[bench] ${failures} scenario(s) failed: see the figures named "failed"`);
    process.exitCode = 1;
  }
}

/** Issue 9 bounds the full run to fifteen minutes; building and starting the stack come before it. */
function wholeRunFigure(seconds: number): Figure {
  return {
    scenario: 'Run',
    metric: 'every scenario, one after the other',
    value: seconds / 60,
    unit: 'min',
    target: { atMost: 15 },
    note: 'from the first scenario to the last figure, the stack already up (bench/run.sh builds and starts it first)',
  };
}

function failedFigure(scenario: Scenario, error: unknown): Figure {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    scenario: scenario.id,
    metric: 'failed',
    value: 1,
    unit: 'run',
    target: { atMost: 0 },
    note: reason.replace(/\s+/g, ' ').replace(/\|/g, '/').slice(0, 300),
  };
}

/** The run with the ratios to the baselines computed anew from its figures. */
function withRatios(run: Run): Run {
  const measured = run.figures.filter((figure) => figure.scenario !== againstBaselinesId);
  return { ...run, figures: [...measured, ...againstBaselines(measured)] };
}

/** Writes the day's results (merged with its earlier partial runs) and returns what was written. */
function keep(run: Run): Run {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${run.date}.json`);
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Run) : undefined;
  const all = withRatios(merged(earlier, run));
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  writeFileSync(path.join(resultsDir, `${run.date}.md`), table(all));
  console.error(`[bench] written: ${path.relative(process.cwd(), file)} and its .md`);
  return all;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
