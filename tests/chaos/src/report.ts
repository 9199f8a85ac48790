import type { ChaosResult } from './run';

/** The run as the closing note and the README show it: faults, requests, losses, each invariant. */
export function summary(result: ChaosResult): string {
  const held = result.checks.filter((c) => c.holds).length;
  const outcomes = Object.entries(result.outcomes)
    .map(([outcome, n]) => `${outcome}: ${n}`)
    .join(', ');
  return [
    `# Chaos run (${result.plan}), ${result.startedAt}`,
    '',
    `${result.faults.length} faults injected in ${result.durationS} s; ${result.requests} requests (${outcomes}); ` +
      `${result.pilots.started} pilots started, ${result.pilots.acknowledged} submissions acknowledged, ` +
      `${result.pilots.approved} approved; **losses = ${result.losses}**; invariants held: ${held}/${result.checks.length}.`,
    '',
    '## Invariants',
    '',
    '| invariant | holds | figures |',
    '|---|---|---|',
    ...result.checks.map(
      (c) => `| ${c.name} | ${c.holds ? 'yes' : '**NO**'} | ${c.detail.replace(/\|/g, '/')} |`,
    ),
    '',
    '## Faults, in order',
    '',
    '| fault | from (s) | to (s) | what happened |',
    '|---|---|---|---|',
    ...result.faults.map(
      (f) =>
        `| ${f.name} | ${(f.startedAt / 1000).toFixed(1)} | ${(f.endedAt / 1000).toFixed(1)} | ${f.detail.replace(/\|/g, '/')} |`,
    ),
    '',
    `Where the bots' pilots ended: ${Object.entries(result.pilots.ends)
      .map(([end, n]) => `${end} ${n}`)
      .join(', ')}. Service logs: ${result.logDir}.`,
    ...result.pilots.problems.map((problem) => `- ${problem}`),
    '',
  ].join('\n');
}
