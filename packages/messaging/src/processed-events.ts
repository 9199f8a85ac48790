import type { Collection } from 'mongodb';
import { MongoServerError } from 'mongodb';

interface ProcessedEvent {
  _id: string;
  processedAt: Date;
}

/**
 * The events a consumer group has handled, by event id: a redelivered event is recognised and
 * skipped. A handler whose side effect happened but whose mark was not written sees the event
 * again, so handlers are still written to tolerate a repeat.
 */
export class ProcessedEvents {
  constructor(private readonly collection: Collection<ProcessedEvent>) {}

  private key = (groupId: string, eventId: string) => `${groupId}:${eventId}`;

  /** A find by `_id`: a count is an aggregation, which costs FerretDB more for the same answer. */
  async has(groupId: string, eventId: string): Promise<boolean> {
    return (
      (await this.collection.findOne({ _id: this.key(groupId, eventId) }, { projection: { _id: 1 } })) !==
      null
    );
  }

  async mark(groupId: string, eventId: string): Promise<void> {
    try {
      await this.collection.insertOne({ _id: this.key(groupId, eventId), processedAt: new Date() });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
  }
}
