import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fullPlan } from './plans';
import { summary } from './report';
import { runChaos } from './run';

/**
 * `npm run chaos`: the full run. Prints the summary, writes it to results/<date>.{json,md}, and
 * exits 1 when an invariant did not hold.
 */
async function main(): Promise<void> {
  const log = (line: string) =>
    process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const result = await runChaos(fullPlan, log);
  const text = summary(result);
  process.stdout.write(`${text}\n`);
  const dir = path.join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const day = result.startedAt.slice(0, 10);
  const files = [path.join(dir, `${day}.json`), path.join(dir, `${day}.md`)];
  writeFileSync(files[0]!, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(files[1]!, text);
  // Committed as they are written: in the repository's format, which `npm test` checks.
  execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', ...files], {
    stdio: 'ignore',
  });
  if (result.checks.some((c) => !c.holds)) process.exitCode = 1;
}

main().then(
  // The stack's and services' clients may keep handles open; the run is over.
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
