import type { Run } from '../src/results';
import { merged, met, table } from '../src/results';
import { largestPeaks, percentile, summarise } from '../src/statistics';

const run = (figures: Run['figures'], smoke = false): Run => ({
  date: '2026-11-23',
  commit: 'abc1234',
  machine: { cpus: 2, cpuModel: 'CPU', memoryGiB: 23, node: 'v20', platform: 'Linux' },
  smoke,
  figures,
});

describe('the benchmark’s figures', () => {
  it('takes percentiles by nearest rank, so each is a measured sample', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(summarise([30, 10, 20])).toEqual({ count: 3, p50: 20, p95: 30, p99: 30, max: 30, mean: 20 });
    expect(() => percentile([], 50)).toThrow('no samples');
  });

  it('names the parts whose own peaks were largest, each at its own peak, whenever it came', () => {
    const samples: Record<string, number>[] = [
      { relay: 5, audit: 0, mail: 1 },
      { relay: 2, audit: 9, mail: 1, late: 3 },
      { relay: 0, audit: 0, mail: 0, late: 3 },
    ];
    expect(largestPeaks(samples)).toBe('audit 9, relay 5, late 3');
    expect(largestPeaks(samples, 5)).toBe('audit 9, relay 5, late 3, mail 1');
    expect(largestPeaks([{ a: 0 }, { b: 0 }])).toBe('');
    expect(largestPeaks([{ b: 2, a: 2 }])).toBe('a 2, b 2');
  });

  it('judges targets at most and at least, and leaves figures without one unjudged', () => {
    expect(met({ scenario: 's', metric: 'm', value: 900, unit: 'ms', target: { atMost: 1000 } })).toBe(true);
    expect(met({ scenario: 's', metric: 'm', value: 1001, unit: 'ms', target: { atMost: 1000 } })).toBe(
      false,
    );
    expect(met({ scenario: 's', metric: 'm', value: 40, unit: '/s', target: { atLeast: 50 } })).toBe(false);
    expect(met({ scenario: 's', metric: 'm', value: 1, unit: 'ms' })).toBeUndefined();
  });

  it('prints one row per figure with its target and verdict, and says when a run is a smoke run', () => {
    const printed = table(
      run([
        {
          scenario: 'U1',
          metric: 'cold p95',
          value: 1234.56,
          unit: 'ms',
          target: { atMost: 1000 },
          note: '20 loads',
        },
        { scenario: 'U1', metric: 'warm p95', value: 3.5, unit: 'ms' },
      ]),
    );
    expect(printed).toContain('| U1 | cold p95 (20 loads) | 1234.6 | ms | ≤ 1000 | **no** |');
    expect(printed).toContain('| U1 | warm p95 | 3.50 | ms |  |  |');
    expect(table(run([], true))).toContain('smoke run');
  });

  it('keeps the day’s figures of scenarios a partial run did not run, and replaces those it did', () => {
    const earlier = run([
      { scenario: 'U1', metric: 'old', value: 1, unit: 'ms' },
      { scenario: 'S1', metric: 'kept', value: 2, unit: '/s' },
    ]);
    const now = run([{ scenario: 'U1', metric: 'new', value: 3, unit: 'ms' }]);
    expect(merged(earlier, now).figures.map((figure) => figure.metric)).toEqual(['kept', 'new']);
    expect(merged(undefined, now)).toBe(now);
    expect(merged(run([], true), now)).toBe(now);
  });
});
