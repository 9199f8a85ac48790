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

  async has(groupId: string, eventId: string): Promise<boolean> {
    return (await this.collection.countDocuments({ _id: this.key(groupId, eventId) }, { limit: 1 })) > 0;
  }

  async mark(groupId: string, eventId: string): Promise<void> {
    try {
      await this.collection.insertOne({ _id: this.key(groupId, eventId), processedAt: new Date() });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
  }
}
