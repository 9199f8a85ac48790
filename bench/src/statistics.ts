/** Summaries of measured samples, by the nearest-rank method (a reported p99 is a real sample). */
export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] as number,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

/**
 * The parts whose own peak was largest over samples of named parts (a consumer group's lag, an
 * outbox's backlog), largest first, as "name peak, name peak"; parts that never rose above 0 are
 * left out. Names where a total's peak came from.
 */
export function largestPeaks(samples: readonly Record<string, number>[], count = 3): string {
  const peaks = new Map<string, number>();
  for (const sample of samples) {
    for (const [name, value] of Object.entries(sample))
      peaks.set(name, Math.max(peaks.get(name) ?? 0, value));
  }
  return [...peaks]
    .filter(([, peak]) => peak > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, count)
    .map(([name, peak]) => `${name} ${peak}`)
    .join(', ');
}
