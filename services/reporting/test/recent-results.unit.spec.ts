import { RecentResults } from '../src/projections/recent-results';

/** A computation the test finishes by hand, counting how often it was started. */
function computations() {
  const started: ((value: string) => void)[] = [];
  const failures: ((error: Error) => void)[] = [];
  const compute = () =>
    new Promise<string>((resolve, reject) => {
      started.push(resolve);
      failures.push(reject);
    });
  return { compute, started, failures };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('recent results', () => {
  let clock: number;
  const results = () =>
    new RecentResults<string>({ freshMs: 5_000, staleMs: 30_000, maxKeys: 2, now: () => clock });

  beforeEach(() => {
    clock = 1_000_000;
  });

  it('serves a fresh result as it is, computed once for callers that came at the same time', async () => {
    const recent = results();
    const { compute, started } = computations();
    const first = recent.get('all', compute);
    const second = recent.get('all', compute);
    expect(started).toHaveLength(1);
    started[0]!('figures 1');
    expect(await first).toEqual({ value: 'figures 1', at: 1_000_000 });
    expect(await second).toEqual({ value: 'figures 1', at: 1_000_000 });
    clock += 4_999;
    expect(await recent.get('all', compute)).toEqual({ value: 'figures 1', at: 1_000_000 });
    expect(started).toHaveLength(1);
  });

  it('serves a stale result while one computation replaces it', async () => {
    const recent = results();
    const { compute, started } = computations();
    const first = recent.get('all', compute);
    started[0]!('figures 1');
    await first;
    clock += 5_000;
    expect(await recent.get('all', compute)).toEqual({ value: 'figures 1', at: 1_000_000 });
    expect(await recent.get('all', compute)).toEqual({ value: 'figures 1', at: 1_000_000 });
    expect(started).toHaveLength(2);
    started[1]!('figures 2');
    await settle();
    expect(await recent.get('all', compute)).toEqual({ value: 'figures 2', at: 1_005_000 });
  });

  it('makes the caller wait for a result older than the stale bound, and keys apart', async () => {
    const recent = results();
    const { compute, started } = computations();
    const first = recent.get('all', compute);
    started[0]!('figures 1');
    await first;
    clock += 30_000;
    const waited = recent.get('all', compute);
    const other = recent.get('call-1', compute);
    expect(started).toHaveLength(3);
    started[1]!('figures 2');
    started[2]!('call 1');
    expect(await waited).toEqual({ value: 'figures 2', at: 1_030_000 });
    expect(await other).toEqual({ value: 'call 1', at: 1_030_000 });
  });

  it('answers a failure to the callers that waited, and keeps nothing of it', async () => {
    const recent = results();
    const { compute, started, failures } = computations();
    const first = recent.get('all', compute);
    failures[0]!(new Error('the database is away'));
    await expect(first).rejects.toThrow('the database is away');
    const again = recent.get('all', compute);
    expect(started).toHaveLength(2);
    started[1]!('figures 1');
    expect(await again).toEqual({ value: 'figures 1', at: 1_000_000 });
  });

  it('after clear, computes anew and does not keep what a computation under way then gives', async () => {
    const recent = results();
    const { compute, started } = computations();
    const before = recent.get('all', compute);
    recent.clear();
    started[0]!('before the rebuild');
    expect((await before).value).toBe('before the rebuild');
    const after = recent.get('all', compute);
    expect(started).toHaveLength(2);
    started[1]!('after the rebuild');
    expect((await after).value).toBe('after the rebuild');
    expect((await recent.get('all', compute)).value).toBe('after the rebuild');
    expect(started).toHaveLength(2);
  });

  it('keeps at most maxKeys results, dropping the oldest kept', async () => {
    const recent = results();
    const { compute, started } = computations();
    for (const key of ['a', 'b', 'c']) {
      const answer = recent.get(key, compute);
      started.at(-1)!(key);
      await answer;
    }
    expect(started).toHaveLength(3);
    await Promise.all([recent.get('b', compute), recent.get('c', compute)]);
    expect(started).toHaveLength(3);
    const a = recent.get('a', compute);
    expect(started).toHaveLength(4);
    started[3]!('a again');
    expect((await a).value).toBe('a again');
  });
});
