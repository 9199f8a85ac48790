/**
 * One figure of a run: what was measured, its value, and where a target applies whether it was
 * met. Targets are "at most" (latency, memory) or "at least" (throughput).
 */
export interface Figure {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  target?: { atMost: number } | { atLeast: number };
  note?: string;
}

export interface Run {
  date: string;
  commit: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  smoke: boolean;
  figures: Figure[];
}

export function met(figure: Figure): boolean | undefined {
  if (!figure.target) return undefined;
  return 'atMost' in figure.target
    ? figure.value <= figure.target.atMost
    : figure.value >= figure.target.atLeast;
}

const rounded = (value: number) =>
  Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);

function targetText(figure: Figure): string {
  if (!figure.target) return '';
  return 'atMost' in figure.target
    ? `≤ ${rounded(figure.target.atMost)}`
    : `≥ ${rounded(figure.target.atLeast)}`;
}

/** The run as a Markdown table, one row per figure, with the target and whether it was met. */
export function table(run: Run): string {
  const lines = [
    `Benchmark of ${run.date} at ${run.commit} on ${run.machine.cpus} × ${run.machine.cpuModel}, ` +
      `${run.machine.memoryGiB} GiB, Node ${run.machine.node}${run.smoke ? ' (smoke run: figures not representative)' : ''}`,
    '',
    '| Scenario | Metric | Value | Unit | Target | Met |',
    '| --- | --- | ---: | --- | --- | --- |',
  ];
  for (const figure of run.figures) {
    const verdict = met(figure);
    lines.push(
      `| ${figure.scenario} | ${figure.metric}${figure.note ? ` (${figure.note})` : ''} | ${rounded(figure.value)} | ${figure.unit} | ${targetText(figure)} | ${
        verdict === undefined ? '' : verdict ? 'yes' : '**no**'
      } |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Figures of a partial run replace that scenario's earlier figures of the same day; others stay. */
export function merged(earlier: Run | undefined, run: Run): Run {
  if (!earlier || earlier.smoke !== run.smoke) return run;
  const ran = new Set(run.figures.map((figure) => figure.scenario));
  return {
    ...run,
    figures: [...earlier.figures.filter((figure) => !ran.has(figure.scenario)), ...run.figures],
  };
}
