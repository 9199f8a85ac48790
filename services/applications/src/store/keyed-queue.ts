/**
 * Runs work one at a time per key, in arrival order. FerretDB 1.x applies an update as read,
 * modify, replace by `_id`, without checking that the document is still the one it read: two
 * concurrent updates of one document both report a match and one is lost, a version in the
 * filter notwithstanding (checked on 1.24: 50 concurrent `$inc`s of one field keep a handful).
 * Queuing this process's writes to one document makes each conditional `updateOne` atomic again
 * there; on MongoDB the conditions alone also guard against other instances.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
