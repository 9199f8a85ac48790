/**
 * Runs writes to one document one at a time, in arrival order. FerretDB 1.x applies an update as
 * read, modify, then replace by `_id`, without checking that the document is still the one it
 * read: two concurrent updates of one document both report a match and one is lost, a condition
 * in the filter notwithstanding (checked on 1.24: 50 concurrent `$inc`s of one field keep a
 * handful). Queuing this process's writes to a document makes each conditional `updateOne` atomic
 * again there, so on FerretDB a service must run as a single instance; on MongoDB, which applies
 * filter and update atomically, the conditions alone also guard against other instances.
 */
export class DocumentWriteQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(documentId: string, write: () => Promise<T>): Promise<T> {
    return this.runAll([documentId], write);
  }

  /**
   * One write to several documents (a bulk write): it starts when the writes queued before it to
   * each of them are done, and the writes queued after it to any of them wait for it.
   */
  runAll<T>(documentIds: readonly string[], write: () => Promise<T>): Promise<T> {
    const ids = [...new Set(documentIds)];
    const previous = ids.map((id) => this.tails.get(id)).filter((tail) => tail !== undefined);
    const result = (previous.length === 1 ? previous[0]! : Promise.all(previous)).then(write);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    for (const id of ids) this.tails.set(id, tail);
    void tail.then(() => {
      for (const id of ids) if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return result;
  }
}
