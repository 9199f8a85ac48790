import type { RoleVerdict } from './fuzz-platform';
import type { Effort } from './schemathesis-run';
import { checks } from './schemathesis-run';

export interface RunContext {
  date: string;
  commit: string;
  machine: string;
  effort: Effort;
  schemathesisVersion: string;
  durationSeconds: number;
}

/** The full run's results as committed in results/<date>.md: one row per role, then every problem. */
export function resultsMarkdown(context: RunContext, verdicts: RoleVerdict[]): string {
  const { effort } = context;
  const lines = [
    `# Schemathesis against the platform, ${context.date}`,
    '',
    `At ${context.commit} on ${context.machine}; schemathesis ${context.schemathesisVersion}, ` +
      `every phase (examples, coverage, fuzzing, stateful), valid and invalid input, ` +
      `up to ${effort.maxExamples} test cases per operation and phase` +
      (effort.maxTimeSeconds ? `, repeated for ${effort.maxTimeSeconds} s per role` : '') +
      `; ${Math.round(context.durationSeconds)} s in all.`,
    '',
    `Checks: ${checks.map((c) => `\`${c}\``).join(', ')}.`,
    '',
    '| Role | Signed in as | Operations tested | Test cases | Failures | Errors |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...verdicts.map(({ actor, report }) =>
      [
        actor.role,
        actor.username,
        `${report.operations?.tested ?? 0} of ${report.operations?.selected ?? 0}`,
        report.test_cases.generated,
        report.failures.reduce((sum, f) => sum + f.count, 0),
        report.errors.reduce((sum, e) => sum + e.count, 0),
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .replace(/$/, ' |'),
    ),
    '',
  ];
  const problems = verdicts.filter((v) => v.problems.length > 0);
  if (problems.length === 0) {
    lines.push('No server error and no answer its document does not describe, for any role.', '');
  } else {
    for (const { actor, problems: found } of problems) {
      lines.push(`## ${actor.role}`, '', ...found.map((p) => `- ${p}`), '');
    }
  }
  return lines.join('\n');
}
