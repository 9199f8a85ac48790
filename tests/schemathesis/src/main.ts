import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'prettier';
import type { Effort } from './schemathesis-run';
import { fuzzPlatform } from './fuzz-platform';
import { resultsMarkdown } from './results';

/**
 * `npm run schemathesis` (run.sh starts the stack and builds first): the long run, every role,
 * written to results/<date>.md. Exits non-zero when any role's run found a problem.
 */
const full: Effort = { maxExamples: 25, maxTimeSeconds: 150, workers: 1, deadlineMs: 10 * 60_000 };

async function main(): Promise<number> {
  const started = Date.now();
  const date = new Date().toISOString().slice(0, 10);
  const outputDir = path.join(__dirname, '..', 'test-output', `full-${started}`);
  const verdicts = await fuzzPlatform(full, outputDir, (line) => console.log(`[schemathesis] ${line}`));
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  const commit = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' with uncommitted changes' : ''}`;
  const cpus = os.cpus();
  const markdown = resultsMarkdown(
    {
      date,
      commit,
      machine: `${cpus.length} × ${cpus[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      effort: full,
      schemathesisVersion: verdicts[0]?.report.schemathesis_version ?? 'unknown',
      durationSeconds: (Date.now() - started) / 1000,
    },
    verdicts,
  );
  const resultsDir = path.join(__dirname, '..', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${date}.md`);
  // Formatted as `npm test`'s prettier check expects of every committed file.
  writeFileSync(file, await format(markdown, { parser: 'markdown' }));
  console.log(markdown);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
  return verdicts.every((v) => v.problems.length === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
