import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startPlatform } from '@s3p/testkit';
import type { Actor } from './roles';
import { actors, tokenFor } from './roles';
import { schemathesisConfig } from './schemathesis-config';
import type { Effort, SchemathesisReport } from './schemathesis-run';
import { problemsOf, runSchemathesis } from './schemathesis-run';
import { seedPlatform } from './seed';

export interface RoleVerdict {
  actor: Actor;
  report: SchemathesisReport;
  /** Failures and errors in words; empty when the role's run is clean. */
  problems: string[];
  logFile: string;
}

const installScript = path.join(__dirname, '..', 'install.sh');

/** The pinned schemathesis, installed into the build cache when missing. */
export function schemathesisExecutable(): string {
  return execFileSync('bash', [installScript], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/**
 * The whole platform as processes on a database of its own, a little seeded data, and
 * schemathesis against the merged document once per role, one role after the other.
 */
export async function fuzzPlatform(
  effort: Effort,
  outputDir: string,
  progress: (line: string) => void,
): Promise<RoleVerdict[]> {
  const executable = schemathesisExecutable();
  mkdirSync(outputDir, { recursive: true });
  const platform = await startPlatform('schemathesis');
  progress(`platform up at ${platform.portal} (service logs in ${platform.logDir})`);
  try {
    const seeded = await seedPlatform(platform.portal);
    const configFile = path.join(outputDir, 'schemathesis.toml');
    writeFileSync(configFile, schemathesisConfig(seeded));
    const verdicts: RoleVerdict[] = [];
    for (const actor of actors) {
      const reportDir = path.join(outputDir, actor.role);
      mkdirSync(reportDir, { recursive: true });
      // Signed in just before its run: a token lives an hour.
      const token = await tokenFor(platform.portal, actor.username);
      const { report, logFile } = await runSchemathesis({
        executable,
        documentUrl: `${platform.portal}/api/openapi.json`,
        configFile,
        token,
        effort,
        reportDir,
      });
      const problems = problemsOf(report);
      progress(
        `${actor.role}: ${report.operations?.tested ?? 0} operations, ${report.test_cases.generated} test cases, ` +
          `${problems.length === 0 ? 'clean' : `${problems.length} problems (see ${logFile})`}`,
      );
      verdicts.push({ actor, report, problems, logFile });
    }
    return verdicts;
  } finally {
    await platform.stop();
  }
}
