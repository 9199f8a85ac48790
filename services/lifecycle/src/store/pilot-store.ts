import type { AnyEnvelope } from '@s3p/contracts';
import { DocumentWriteQueue, pushToOutbox } from '@s3p/messaging';
import type { Collection, Filter } from 'mongodb';
import { MongoServerError } from 'mongodb';
import type { PilotSummary } from '../activities/notices';

/** A pilot as lists read it, with the events its workflow recorded and the relay has yet to publish. */
export type PilotDocument = PilotSummary & {
  _id: string;
  /** Ids of every event recorded for the pilot: a retried record adds nothing. */
  emitted: string[];
  outbox: AnyEnvelope[];
};

export type StoredPilot = Omit<PilotDocument, 'emitted' | 'outbox'>;

const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === 11000;

/**
 * The pilots' summaries. The workflow is the truth about a pilot; this collection is what it
 * said last, kept for lists, with its events in the same document so that the outbox relay
 * publishes exactly what was recorded.
 */
export class PilotStore {
  readonly writeQueue = new DocumentWriteQueue();

  constructor(readonly collection: Collection<PilotDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ stage: 1 });
    await this.collection.createIndex({ callId: 1 });
    await this.collection.createIndex({ region: 1 });
  }

  /**
   * Records one event and the summary it leaves, once: a repeat with the same event id changes
   * nothing. A summary older than the stored one (a lower stage sequence) never replaces it.
   */
  record(pilotId: string, event: AnyEnvelope, summary: PilotSummary): Promise<boolean> {
    return this.writeQueue.run(pilotId, async () => {
      try {
        const result = await this.collection.updateOne(
          { _id: pilotId, emitted: { $ne: event.id } } as Filter<PilotDocument>,
          { $push: { ...pushToOutbox([event]), emitted: event.id } as never },
          { upsert: true },
        );
        if (result.matchedCount === 0 && result.upsertedCount === 0) return false;
      } catch (error) {
        // The upsert found the pilot with this event already recorded and tried to insert it anew.
        if (isDuplicateKey(error)) return false;
        throw error;
      }
      await this.collection.updateOne(
        { _id: pilotId, $or: [{ sequence: { $exists: false } }, { sequence: { $lte: summary.sequence } }] },
        { $set: summary },
      );
      return true;
    });
  }

  find(pilotId: string): Promise<StoredPilot | null> {
    return this.collection.findOne({ _id: pilotId }, { projection: { outbox: 0, emitted: 0 } });
  }

  /**
   * Newest pilot first (pilot ids are the applications' time-ordered ids), up to `limit + 1`: one
   * more than a page, so that service-kit's `pageOf` knows whether another page follows.
   */
  page(filter: Filter<PilotDocument>, limit: number): Promise<StoredPilot[]> {
    return this.collection
      .find(filter, { projection: { outbox: 0, emitted: 0 } })
      .sort({ _id: -1 })
      .limit(limit + 1)
      .toArray();
  }

  /** Newest change first. */
  list(filter: Filter<PilotDocument>, limit: number): Promise<StoredPilot[]> {
    return this.collection
      .find(filter, { projection: { outbox: 0, emitted: 0 } })
      .sort({ updatedAt: -1, _id: 1 })
      .limit(limit)
      .toArray();
  }
}
