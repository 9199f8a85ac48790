/**
 * Runs work one at a time per key, in arrival order. FerretDB 1.x applies an update as read,
 * modify, then replace by `_id`, without checking that the document is still the one it read:
 * two concurrent updates of one document both report a match and one of them is lost (checked
 * against 1.24, even with a version in the filter). Queuing this process's writes to one call
 * makes each conditional `updateOne` atomic again on FerretDB; on MongoDB, which applies the
 * filter and the update atomically, the conditions alone also protect writes from other instances.
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
