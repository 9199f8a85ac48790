import type { AnyEnvelope } from '@s3p/contracts';
import type { OutboxDocument } from '@s3p/messaging';
import { DocumentWriteQueue, outboxEntries } from '@s3p/messaging';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection, Filter } from 'mongodb';
import type { PilotSummary } from '../activities/notices';

/**
 * A pilot as lists read it. Documents written before pilot events had their own collection may
 * still hold events in `outbox` (and their ids in `emitted`): a relay drains them.
 */
export type PilotDocument = PilotSummary & {
  _id: string;
  emitted?: string[];
  outbox?: AnyEnvelope[];
};

export type StoredPilot = Omit<PilotDocument, 'emitted' | 'outbox'>;

/** One event the workflow recorded, waiting for the relay, which deletes it once published. */
export interface PilotEventDocument extends OutboxDocument {
  /** The event's id: recording it twice finds it there. */
  _id: string;
  pilotId: string;
  outbox: AnyEnvelope[];
}

/**
 * The pilots' summaries and the events their workflows recorded. The workflow is the truth about
 * a pilot; `collection` is what it said last, kept for lists. Each event is a document of its own
 * in `events` until the relay has published it: two workers of the task queue record a pilot's
 * events in turn, and on FerretDB 1.x a relay emptying an outbox inside the pilot's document (a
 * read, then a replace) lost an event another process had just added to it (chaos run of
 * 2026-11-24: a stage change to `rejected` never published).
 */
export class PilotStore {
  readonly writeQueue = new DocumentWriteQueue();

  constructor(
    readonly collection: Collection<PilotDocument>,
    readonly events: Collection<PilotEventDocument>,
  ) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ stage: 1 });
    await this.collection.createIndex({ callId: 1 });
    await this.collection.createIndex({ region: 1 });
  }

  /**
   * Records one event, then the summary it leaves; true when the event was not waiting already
   * (the relay is then to be woken). A retry finds the event waiting, or publishes it again if the
   * relay has sent it meanwhile (consumers drop a duplicate by event id), and writes the summary
   * it may have missed. A summary older than the stored one (a lower stage sequence) never
   * replaces it.
   */
  record(pilotId: string, event: AnyEnvelope, summary: PilotSummary): Promise<boolean> {
    return this.writeQueue.run(pilotId, async () => {
      let added = true;
      try {
        await this.events.insertOne({ _id: event.id, pilotId, outbox: outboxEntries([event]) });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        added = false;
      }
      try {
        await this.collection.updateOne(
          { _id: pilotId, $or: [{ sequence: { $exists: false } }, { sequence: { $lte: summary.sequence } }] },
          { $set: summary },
          { upsert: true },
        );
      } catch (error) {
        // The pilot is there with a newer summary: the upsert tried to insert it anew.
        if (!isDuplicateKey(error)) throw error;
      }
      return added;
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
