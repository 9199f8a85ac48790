import type { Figure } from './results';

/**
 * The targets issue 9 sets relative to a baseline of the same run: each is computed from two
 * measured figures (found by scenario and metric) and reported as a ratio with its target, so the
 * table says how far the platform is from what its parts allow on this machine. A ratio whose
 * figures were not measured in the run (a partial `--only` run, a failed scenario) is left out.
 */
export const againstBaselinesId = 'Against baselines';

interface Ref {
  scenario: string;
  metric: string;
}

interface Ratio {
  metric: string;
  /** The ratio is measured ÷ baseline: at least a share of a throughput, at most a multiple of a latency. */
  measured: Ref;
  baseline: Ref;
  target: Figure['target'];
  how: string;
  /** Turns the baseline figure into what the measured one compares with (given every figure). */
  allowed?: (baseline: number, find: (ref: Ref) => number | undefined) => number | undefined;
}

const mongooseWrites = { scenario: 'B-http-db', metric: 'mongoose validate + insert throughput' };
const eligibilityWorkflows = {
  scenario: 'B-temporal',
  metric: 'eligibility-stage workflows started and awaited',
};
/** The eligibility-stage baseline workflow's workflow tasks (five activities one after another). */
const eligibilityWorkflowTasks = 6;

const ratios: Ratio[] = [
  {
    metric: 'S1 requests/s ÷ B-http-db (mongoose) requests/s',
    measured: { scenario: 'S1 submission burst', metric: 'HTTP requests throughput' },
    baseline: mongooseWrites,
    target: { atLeast: 0.5 },
    how: 'the portal’s create and submit calls against a bare express handler inserting the same document',
  },
  {
    metric: 'S1 submit p99 ÷ B-http-db (mongoose) p99',
    measured: { scenario: 'S1 submission burst', metric: 'submit p99' },
    baseline: { scenario: 'B-http-db', metric: 'mongoose validate + insert p99' },
    target: { atMost: 3 },
    how: 'the same concurrency (64)',
  },
  {
    metric: 'mongoose writes ÷ native driver writes',
    measured: mongooseWrites,
    baseline: { scenario: 'B-http-db', metric: 'native validate + insert throughput' },
    target: { atLeast: 0.6 },
    how: 'the platform’s hot-path write (a mongoose model) against the native driver, requests/s',
  },
  {
    metric: 'mongoose lean reads ÷ native driver reads',
    measured: { scenario: 'B-http-db', metric: 'mongoose lean read by id throughput' },
    baseline: { scenario: 'B-http-db', metric: 'native lean read by id throughput' },
    target: { atLeast: 0.8 },
    how: 'a lean read by id against the native driver’s findOne, requests/s',
  },
  {
    metric: 'S2 pilots/min ÷ what B-temporal allows for as many workflow tasks',
    measured: { scenario: 'S2 whole lifecycle', metric: 'pilots closed per minute' },
    baseline: eligibilityWorkflows,
    target: { atLeast: 0.5 },
    how: `B-temporal's eligibility-stage workflows/s × ${eligibilityWorkflowTasks} workflow tasks ÷ S2's workflow tasks per pilot × 60`,
    allowed: (workflowsPerSecond, find) => {
      const tasksPerPilot = find({ scenario: 'S2 whole lifecycle', metric: 'workflow tasks per pilot' });
      if (!tasksPerPilot) return undefined;
      return ((workflowsPerSecond * eligibilityWorkflowTasks) / tasksPerPilot) * 60;
    },
  },
];

/** The ratios of issue 9 that the given figures allow, each with its target. */
export function againstBaselines(figures: readonly Figure[]): Figure[] {
  const find = (ref: Ref) =>
    figures.find((figure) => figure.scenario === ref.scenario && figure.metric === ref.metric)?.value;
  const computed: Figure[] = [];
  for (const ratio of ratios) {
    const measured = find(ratio.measured);
    const baselineValue = find(ratio.baseline);
    if (measured === undefined || baselineValue === undefined) continue;
    const baseline = ratio.allowed ? ratio.allowed(baselineValue, find) : baselineValue;
    if (baseline === undefined || !Number.isFinite(measured) || !(baseline > 0)) continue;
    computed.push({
      scenario: againstBaselinesId,
      metric: ratio.metric,
      value: measured / baseline,
      unit: '×',
      target: ratio.target,
      note: `${ratio.how}: ${round(measured)} against ${round(baseline)}`,
    });
  }
  return computed;
}

const round = (value: number) => (value >= 100 ? value.toFixed(0) : value.toPrecision(3));
