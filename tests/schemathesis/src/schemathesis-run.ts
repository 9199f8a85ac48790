import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { tokenVariable } from './schemathesis-config';

/** How hard one run tries: the bounded run in `npm test` and the full run differ only here. */
export interface Effort {
  /** Test cases per operation and phase. */
  maxExamples: number;
  /** A time budget (seconds) that fuzzing and stateful testing repeat until spent; none: one pass. */
  maxTimeSeconds?: number;
  workers: number;
  /** The run is stopped (and fails) after this long. */
  deadlineMs: number;
}

/** What no answer may do: be a 5xx, or not be what the document says for its operation. */
export const checks = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
] as const;

/** The parts of schemathesis' JSON report (`--report json`) the verdict reads. */
const jsonReport = z.object({
  schemathesis_version: z.string(),
  seed: z.number().nullable(),
  running_time: z.number().nullable(),
  complete: z.boolean(),
  exit_code: z.number(),
  operations: z
    .object({ selected: z.number(), tested: z.number(), errored: z.number(), skipped: z.number() })
    .nullable(),
  test_cases: z.object({ generated: z.number(), with_failures: z.number(), errored: z.number() }),
  failures: z.array(z.object({ title: z.string(), count: z.number(), operations: z.array(z.string()) })),
  errors: z.array(z.object({ title: z.string(), count: z.number() })),
});
export type SchemathesisReport = z.infer<typeof jsonReport>;

export interface RunOptions {
  executable: string;
  /** The merged document, which also gives the base URL (`servers: [{url: '/'}]`). */
  documentUrl: string;
  configFile: string;
  token: string;
  effort: Effort;
  /** Where the JSON and JUnit reports and the console log go. */
  reportDir: string;
}

export interface RunOutcome {
  report: SchemathesisReport;
  /** Schemathesis' console output, for the failures' details and how to reproduce them. */
  logFile: string;
}

/** One `schemathesis run` against the platform as one user. */
export async function runSchemathesis(options: RunOptions): Promise<RunOutcome> {
  const { effort, reportDir } = options;
  const logFile = path.join(reportDir, 'schemathesis.log');
  const jsonFile = path.join(reportDir, 'report.json');
  const args = [
    '--config-file',
    options.configFile,
    'run',
    options.documentUrl,
    '--checks',
    checks.join(','),
    '--max-examples',
    String(effort.maxExamples),
    ...(effort.maxTimeSeconds ? ['--max-time', String(effort.maxTimeSeconds)] : []),
    '--workers',
    String(effort.workers),
    '--request-timeout',
    '30',
    '--wait-for-schema',
    '30',
    '--report',
    'json,junit',
    '--report-dir',
    reportDir,
    '--report-json-path',
    jsonFile,
    '--no-color',
  ];
  const log = createWriteStream(logFile);
  const child = spawn(options.executable, args, {
    env: { ...process.env, [tokenVariable]: options.token },
    // Whatever else it writes stays with this run's reports.
    cwd: reportDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const timer = setTimeout(() => child.kill('SIGTERM'), effort.deadlineMs);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    },
  ).finally(() => clearTimeout(timer));
  await new Promise((resolve) => log.end(resolve));
  if (exit.signal) {
    throw new Error(
      `schemathesis was stopped (${exit.signal}) after ${effort.deadlineMs} ms; see ${logFile}`,
    );
  }
  let report: SchemathesisReport;
  try {
    report = jsonReport.parse(JSON.parse(readFileSync(jsonFile, 'utf8')));
  } catch (error) {
    throw new Error(
      `schemathesis exited ${exit.code} without a readable report (${(error as Error).message}); see ${logFile}`,
    );
  }
  return { report, logFile };
}

/** Clean: complete, every selected operation tested, no failure and no error. */
export function problemsOf(report: SchemathesisReport): string[] {
  const problems = [
    ...report.failures.map((f) => `${f.title} (${f.count}×): ${f.operations.join(', ')}`),
    ...report.errors.map((e) => `error: ${e.title} (${e.count}×)`),
  ];
  if (!report.complete) problems.push('the run did not complete');
  if (report.operations && report.operations.tested < report.operations.selected) {
    problems.push(`only ${report.operations.tested} of ${report.operations.selected} operations were tested`);
  }
  return problems;
}
