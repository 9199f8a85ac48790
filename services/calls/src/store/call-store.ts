import type { AnyEnvelope, CallStatus } from '@s3p/contracts';
import { DocumentWriteQueue } from '@s3p/messaging';
import type { Collection, Filter, UpdateFilter } from 'mongodb';
import type { CallFields, Reservation } from '../domain/call-rules';

/** A call as read for answers and rules: its content, its state and budget, without its outbox. */
export type StoredCall = CallFields & {
  _id: string;
  status: CallStatus;
  committedBudget: number;
  remainingBudget: number;
  /** Read only when asked for: a call may hold many. */
  reservations?: StoredReservation[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
  publishedAt?: Date;
  publishedBy?: string;
  /** The publication's correlation id, carried by the events the call's timers cause. */
  publicationCorrelationId?: string;
  openedAt?: Date;
  closedAt?: Date;
  closeReason?: 'deadline' | 'manual';
};

export type StoredReservation = Reservation & { reservedBy: string };

/** A call as stored (type aliases, not interfaces, so that it is a mongodb `Document`). */
export type CallDocument = StoredCall & {
  reservations: StoredReservation[];
  /** Events written with the change that caused them, until the relay has published them. */
  outbox: AnyEnvelope[];
};

/** Reads and conditional writes of one call, inside `CallStore.exclusive`. */
export interface CallWriter {
  find(options?: { withReservations?: boolean }): Promise<StoredCall | null>;
  /** True when the filter (the call's `_id` is added) matched and the write was applied. */
  update(filter: Filter<CallDocument>, update: UpdateFilter<CallDocument>): Promise<boolean>;
}

/** The calls collection; every write to one call goes through one queue (see DocumentWriteQueue). */
export class CallStore {
  /** Shared with the outbox relay, whose clearing of the outbox is a write like any other. */
  readonly writeQueue = new DocumentWriteQueue();

  constructor(readonly collection: Collection<CallDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ status: 1 });
    await this.collection.createIndex({ pilotType: 1 });
  }

  async insert(call: CallDocument): Promise<void> {
    await this.collection.insertOne(call);
  }

  find(id: string, options: { withReservations?: boolean } = {}): Promise<StoredCall | null> {
    return this.collection.findOne(
      { _id: id },
      { projection: options.withReservations ? { outbox: 0 } : { outbox: 0, reservations: 0 } },
    );
  }

  /** Newest first, `limit + 1` of them so that the page knows whether another follows. */
  list(filter: Filter<CallDocument>, limit: number): Promise<StoredCall[]> {
    return this.collection
      .find(filter, { projection: { outbox: 0, reservations: 0 } })
      .sort({ _id: -1 })
      .limit(limit + 1)
      .toArray();
  }

  /** Calls whose timers should be running. */
  published(): Promise<StoredCall[]> {
    return this.collection
      .find({ status: { $in: ['scheduled', 'open'] } }, { projection: { outbox: 0, reservations: 0 } })
      .toArray();
  }

  /**
   * Runs a command on one call alone among this process's writes to that call: what it reads
   * is still current when it writes. Its writes go through the writer it is given; Temporal and
   * other slow calls belong after it, not inside.
   */
  exclusive<T>(id: string, command: (writer: CallWriter) => Promise<T>): Promise<T> {
    return this.writeQueue.run(id, () => command(this.writerOf(id)));
  }

  /** One conditional write to one call, in its turn: true when the filter matched and the write was applied. */
  update(id: string, filter: Filter<CallDocument>, update: UpdateFilter<CallDocument>): Promise<boolean> {
    return this.exclusive(id, (writer) => writer.update(filter, update));
  }

  private writerOf(id: string): CallWriter {
    return {
      find: (options) => this.find(id, options),
      update: async (filter, update) =>
        (await this.collection.updateOne({ ...filter, _id: id }, update)).matchedCount > 0,
    };
  }
}
