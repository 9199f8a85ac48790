export interface RecentResultsOptions {
  /** A result younger than this is served as it is. */
  freshMs: number;
  /** A result younger than this (and not fresh) is served while one computation replaces it. */
  staleMs: number;
  /** Results kept, by key; the oldest kept goes first. */
  maxKeys: number;
  now?: () => number;
}

export interface RecentResult<T> {
  value: T;
  /** When the value was computed (epoch milliseconds). */
  at: number;
}

/**
 * Results computed a moment ago, reused by key: for reads that cost much and may lag a little
 * (the dashboard reads every submitted pilot). Older than `staleMs` or absent, the caller waits for
 * the computation; concurrent callers of one key share one computation. `clear` drops what was
 * kept, and a computation under way at that moment is answered but not kept.
 */
export class RecentResults<T> {
  private readonly kept = new Map<string, RecentResult<T>>();
  private readonly underWay = new Map<string, Promise<RecentResult<T>>>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: RecentResultsOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(key: string, compute: () => Promise<T>): Promise<RecentResult<T>> {
    const kept = this.kept.get(key);
    const age = kept ? this.now() - kept.at : Number.POSITIVE_INFINITY;
    if (kept && age < this.options.freshMs) return kept;
    if (kept && age < this.options.staleMs) {
      // Its caller has the kept value; a failure here shows to the next caller that must wait.
      this.computed(key, compute).catch(() => undefined);
      return kept;
    }
    return this.computed(key, compute);
  }

  clear(): void {
    this.generation += 1;
    this.kept.clear();
    this.underWay.clear();
  }

  private computed(key: string, compute: () => Promise<T>): Promise<RecentResult<T>> {
    const running = this.underWay.get(key);
    if (running) return running;
    const generation = this.generation;
    const at = this.now();
    const computation = compute()
      .then((value) => {
        const result = { value, at };
        if (generation === this.generation) this.keep(key, result);
        return result;
      })
      .finally(() => {
        if (this.underWay.get(key) === computation) this.underWay.delete(key);
      });
    this.underWay.set(key, computation);
    return computation;
  }

  private keep(key: string, result: RecentResult<T>): void {
    this.kept.delete(key);
    this.kept.set(key, result);
    while (this.kept.size > this.options.maxKeys) {
      const oldest = this.kept.keys().next().value;
      if (oldest === undefined) break;
      this.kept.delete(oldest);
    }
  }
}
