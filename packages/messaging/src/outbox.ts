import type { AnyEnvelope } from '@s3p/contracts';
import type { Collection, Document } from 'mongodb';
import type { DocumentWriteQueue } from './document-write-queue';
import { withTraceContext } from './event-tracing';
import type { EventPublisher } from './publisher';

/**
 * The outbox lives in the aggregate's own document: a state change and the events it causes are
 * one `updateOne` (`$set` the state, `$push` the events to `outbox`), so neither exists without
 * the other. The relay publishes pending events, then removes exactly those from the outbox.
 * A crash between the two publishes them again (at-least-once); consumers drop the duplicate by
 * event id. Nothing is lost and nothing is invented.
 */
export interface OutboxDocument extends Document {
  _id: string;
  outbox?: AnyEnvelope[];
}

/**
 * The `$push` operand that appends events to a document's outbox, to go in the same `updateOne`
 * as the state change: `{ $set: { status }, $push: pushToOutbox([event]) }`. Each event keeps the
 * trace context of the write (unless it has one), for the relay to continue that trace.
 */
export function pushToOutbox(events: readonly AnyEnvelope[]): Document {
  return { outbox: { $each: outboxEntries(events) } };
}

/** The events as an outbox holds them: each with the trace context of the write (unless it has one). */
export function outboxEntries(events: readonly AnyEnvelope[]): AnyEnvelope[] {
  return events.map(withTraceContext);
}

export interface OutboxRelayOptions {
  topic: string;
  /** Documents read per sweep, and poked documents relayed together (one send to Kafka). */
  batchSize?: number;
  /**
   * Least pause between sweeps of the whole collection (default 10 s; longer after a sweep that
   * took more than a twentieth of it). The writers of this process name the documents they gave
   * events (`poke(id)`), which are relayed at once by `_id`; a sweep finds what no poke named:
   * events left by a crash, or written by another process.
   */
  idleMs?: number;
  onError?: (error: unknown) => void;
  /** The queue the service's own writes to a document wait in; clearing the outbox waits there too. */
  writeQueue?: DocumentWriteQueue;
  /**
   * Each document is the events of one write, inserted once and written by nothing else: a
   * relayed document is deleted rather than emptied. Nothing rewrites a document that another
   * process may be writing, which FerretDB 1.x would do as a read then a replace, losing the
   * other write (two instances of a service share its collections).
   */
  deleteRelayed?: boolean;
}

/** After a failed pass, the relay waits this long before it tries again (Kafka or the database is down). */
const retryMs = 1_000;

export class OutboxRelay<T extends OutboxDocument> {
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  /** Documents poked since the last pass, to relay by `_id`. */
  private readonly touched = new Set<string>();
  /** The first pass sweeps: events may wait from before this process started. */
  private sweepDue = true;

  constructor(
    private readonly collection: Collection<T>,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
  ) {}

  /**
   * One sweep of the whole collection: publishes what is pending and clears it. Returns how many
   * events went out. A sweep reads every document on FerretDB (no index serves `outbox.0`), so
   * the running relay sweeps seldom and relays poked documents by `_id` instead.
   */
  async relayOnce(): Promise<number> {
    const pending = await this.collection
      .find({ 'outbox.0': { $exists: true } } as never, { projection: { outbox: 1 } })
      .limit(this.options.batchSize ?? 100)
      .toArray();
    return this.relayDocuments(pending);
  }

  /**
   * How many documents hold events not yet published (the backlog a gauge shows). Like a sweep,
   * a read of the whole collection on FerretDB: sampled seldom, never per request.
   */
  backlog(): Promise<number> {
    return this.collection.countDocuments({ 'outbox.0': { $exists: true } } as never);
  }

  /** Runs passes until `stop()`: poked documents at once, a sweep every `idleMs`. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = (async () => {
      let nextSweep = 0;
      while (!this.stopping) {
        let sent = 0;
        let failed = false;
        try {
          sent += await this.relayTouched();
          if (this.sweepDue || performance.now() >= nextSweep) {
            this.sweepDue = false;
            const sweepStarted = performance.now();
            nextSweep = sweepStarted + (this.options.idleMs ?? 10_000);
            sent += await this.relayOnce();
            // A sweep reads the whole collection: a large one is swept less often, so that
            // sweeping never takes more than a twentieth of the database's time.
            nextSweep = Math.max(nextSweep, performance.now() + 19 * (performance.now() - sweepStarted));
          }
        } catch (error) {
          failed = true;
          this.options.onError?.(error);
        }
        if (this.stopping) break;
        if (failed) await this.pause(retryMs);
        else if (sent === 0 && this.touched.size === 0 && !this.sweepDue) {
          await this.pause(Math.max(0, nextSweep - performance.now()));
        }
      }
    })();
  }

  /**
   * A write gave events to a document: relay them now rather than at the next sweep. Without an
   * id, the next pass sweeps the whole collection.
   */
  poke(documentId?: string): void {
    if (documentId === undefined) this.sweepDue = true;
    else this.touched.add(documentId);
    this.wake?.();
  }

  /** Finishes the pass under way, so that no event is left half-relayed by a shutdown. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  /**
   * Relays the poked documents by `_id`, a batch at a time in the order they were poked; on a
   * failure, those not relayed wait for the next pass.
   */
  private async relayTouched(): Promise<number> {
    const ids = [...this.touched];
    this.touched.clear();
    const batchSize = this.options.batchSize ?? 100;
    let sent = 0;
    for (let start = 0; start < ids.length; start += batchSize) {
      try {
        // By `_id` alone, one read each: FerretDB 1.x's SQLite backend pushes a filter down to its
        // primary key only when `_id` is its one field (not even `$in` on `_id`).
        const docs = await Promise.all(
          ids
            .slice(start, start + batchSize)
            .map((id) => this.collection.findOne({ _id: id } as never, { projection: { outbox: 1 } })),
        );
        sent += await this.relayDocuments(docs.filter((doc): doc is NonNullable<typeof doc> => doc !== null));
      } catch (error) {
        for (const left of ids.slice(start)) this.touched.add(left);
        throw error;
      }
    }
    return sent;
  }

  /**
   * Publishes the documents' events in one send, in the documents' order (one subject's events,
   * even kept in several documents, reach its partition in the order they were written), then
   * clears the documents one after another: FerretDB's SQLite takes one write at a time per
   * database, and a crowd of clears waiting for its lock would turn the service's own requests
   * away as busy. Nor in bulk: measured in the S1 burst, bulk clears of 10 or 50 documents cut the
   * submissions answered by a third, and FerretDB 1.x never answers an update of 100 statements.
   */
  private async relayDocuments(docs: readonly OutboxDocument[]): Promise<number> {
    const waiting = docs.filter((doc) => (doc.outbox?.length ?? 0) > 0);
    if (waiting.length === 0) return 0;
    const events = waiting.flatMap((doc) => doc.outbox as AnyEnvelope[]);
    await this.publisher.publish(this.options.topic, events);
    for (const doc of waiting) await this.clear(doc._id, doc.outbox as AnyEnvelope[]);
    return events.length;
  }

  private async clear(id: string, events: AnyEnvelope[]): Promise<void> {
    if (this.options.deleteRelayed) {
      await this.collection.deleteOne({ _id: id } as never);
      return;
    }
    // $pullAll of the events exactly as read removes those and nothing appended meanwhile.
    // (FerretDB 1.x ignores $pull with a condition such as { id: { $in } }.)
    const clear = () =>
      this.collection.updateOne({ _id: id } as never, { $pullAll: { outbox: events } } as never);
    await (this.options.writeQueue ? this.options.writeQueue.run(id, clear) : clear());
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
