import { againstBaselines } from '../src/against-baselines';
import type { Figure } from '../src/results';

const figure = (scenario: string, metric: string, value: number): Figure => ({
  scenario,
  metric,
  value,
  unit: 'x',
});

const baselines = [
  figure('B-http-db', 'mongoose validate + insert throughput', 1000),
  figure('B-http-db', 'mongoose validate + insert p99', 40),
  figure('B-http-db', 'native validate + insert throughput', 1250),
  figure('B-http-db', 'mongoose lean read by id throughput', 1800),
  figure('B-http-db', 'native lean read by id throughput', 2000),
  figure('B-temporal', 'eligibility-stage workflows started and awaited', 10),
];

describe('the ratios to the baselines', () => {
  it('divides each measured figure by its baseline and keeps the target', () => {
    const ratios = againstBaselines([
      ...baselines,
      figure('S1 submission burst', 'HTTP requests throughput', 400),
      figure('S1 submission burst', 'submit p99', 200),
    ]);
    const byMetric = new Map(ratios.map((ratio) => [ratio.metric, ratio]));
    expect(byMetric.get('S1 requests/s ÷ B-http-db (mongoose) requests/s')).toMatchObject({
      value: 0.4,
      target: { atLeast: 0.5 },
      scenario: 'Against baselines',
    });
    expect(byMetric.get('S1 submit p99 ÷ B-http-db (mongoose) p99')).toMatchObject({
      value: 5,
      target: { atMost: 3 },
    });
    expect(byMetric.get('mongoose writes ÷ native driver writes')?.value).toBeCloseTo(0.8);
    expect(byMetric.get('mongoose lean reads ÷ native driver reads')?.value).toBeCloseTo(0.9);
  });

  it('turns B-temporal’s workflows/s into the pilots/min it allows for S2’s workflow tasks per pilot', () => {
    const [ratio] = againstBaselines([
      figure('B-temporal', 'eligibility-stage workflows started and awaited', 10),
      figure('S2 whole lifecycle', 'pilots closed per minute', 30),
      figure('S2 whole lifecycle', 'workflow tasks per pilot', 60),
    ]);
    // 10 workflows/s × 6 tasks = 60 tasks/s, ÷ 60 tasks per pilot = 1 pilot/s = 60 pilots/min.
    expect(ratio).toMatchObject({ metric: expect.stringContaining('S2 pilots/min') as string, value: 0.5 });
  });

  it('leaves out a ratio whose figures were not measured, or whose baseline is zero', () => {
    expect(againstBaselines(baselines.slice(0, 2))).toEqual([]);
    expect(
      againstBaselines([
        figure('B-temporal', 'eligibility-stage workflows started and awaited', 10),
        figure('S2 whole lifecycle', 'pilots closed per minute', 30),
      ]),
    ).toEqual([]);
    expect(
      againstBaselines([
        figure('B-http-db', 'native lean read by id throughput', 0),
        figure('B-http-db', 'mongoose lean read by id throughput', 10),
      ]),
    ).toEqual([]);
  });
});
