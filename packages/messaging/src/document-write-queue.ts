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
    const previous = this.tails.get(documentId) ?? Promise.resolve();
    const result = previous.then(write);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(documentId, tail);
    void tail.then(() => {
      if (this.tails.get(documentId) === tail) this.tails.delete(documentId);
    });
    return result;
  }
}
