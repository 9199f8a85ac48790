import type { AnyEnvelope } from '@s3p/contracts';
import type { Collection, Document } from 'mongodb';
import type { DocumentWriteQueue } from './document-write-queue';
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
 * as the state change: `{ $set: { status }, $push: pushToOutbox([event]) }`.
 */
export function pushToOutbox(events: readonly AnyEnvelope[]): Document {
  return { outbox: { $each: [...events] } };
}

export interface OutboxRelayOptions {
  topic: string;
  /** Documents read per pass. */
  batchSize?: number;
  /** Pause between passes when the outbox was empty. */
  idleMs?: number;
  onError?: (error: unknown) => void;
  /** The queue the service's own writes to a document wait in; clearing the outbox waits there too. */
  writeQueue?: DocumentWriteQueue;
}

export class OutboxRelay<T extends OutboxDocument> {
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;

  constructor(
    private readonly collection: Collection<T>,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
  ) {}

  /** One pass: publishes what is pending and clears it. Returns how many events went out. */
  async relayOnce(): Promise<number> {
    const pending = await this.collection
      .find({ 'outbox.0': { $exists: true } } as never, { projection: { outbox: 1 } })
      .limit(this.options.batchSize ?? 100)
      .toArray();
    let sent = 0;
    for (const doc of pending) {
      const events = (doc.outbox ?? []) as AnyEnvelope[];
      await this.publisher.publish(this.options.topic, events);
      // $pullAll of the events exactly as read removes those and nothing appended meanwhile.
      // (FerretDB 1.x ignores $pull with a condition such as { id: { $in } }.)
      const clear = () =>
        this.collection.updateOne({ _id: doc._id } as never, { $pullAll: { outbox: events } } as never);
      await (this.options.writeQueue ? this.options.writeQueue.run(doc._id, clear) : clear());
      sent += events.length;
    }
    return sent;
  }

  /** Runs passes until `stop()`; a write that added events can `poke()` it instead of waiting. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = (async () => {
      while (!this.stopping) {
        let sent = 0;
        try {
          sent = await this.relayOnce();
        } catch (error) {
          this.options.onError?.(error);
        }
        if (sent === 0 && !this.stopping) await this.pause(this.options.idleMs ?? 250);
      }
    })();
  }

  poke(): void {
    this.wake?.();
  }

  /** Finishes the pass under way, so that no event is left half-relayed by a shutdown. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.poke();
    await this.running;
    this.running = undefined;
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
