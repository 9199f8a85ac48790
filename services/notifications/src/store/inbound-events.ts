import type { AnyEnvelope } from '@s3p/contracts';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection } from 'mongodb';

/**
 * An event that gives notices, kept from its consumption until its notices exist. `waiting`: its
 * recipients come from a pilot whose facts have not arrived yet; `due`: it is (re)tried at
 * `nextAttemptAt` (the directory may be down).
 */
export type InboundEventDocument = {
  /** The event's id: a redelivered event is the same document. */
  _id: string;
  envelope: AnyEnvelope;
  pilotId?: string;
  state: 'due' | 'waiting';
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  receivedAt: string;
};

/**
 * The events between the consumer and the notices. The consumer only inserts; the resolver, one
 * loop in one process, is the only one to change or delete a document: no two writes race.
 */
export class InboundEvents {
  constructor(readonly collection: Collection<InboundEventDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ state: 1, nextAttemptAt: 1 });
    await this.collection.createIndex({ pilotId: 1, state: 1 });
  }

  /** Keeps an event to resolve; a redelivery of one still kept changes nothing. */
  async keep(envelope: AnyEnvelope, pilotId: string | undefined): Promise<void> {
    const now = new Date().toISOString();
    try {
      await this.collection.insertOne({
        _id: envelope.id,
        envelope,
        ...(pilotId ? { pilotId } : {}),
        state: 'due',
        attempts: 0,
        nextAttemptAt: now,
        receivedAt: now,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  due(now: string, limit: number): Promise<InboundEventDocument[]> {
    return this.collection
      .find({ state: 'due', nextAttemptAt: { $lte: now } })
      .sort({ receivedAt: 1, _id: 1 })
      .limit(limit)
      .toArray();
  }

  async waitForPilot(id: string): Promise<void> {
    await this.collection.updateOne({ _id: id }, { $set: { state: 'waiting' } });
  }

  async retryLater(id: string, reason: string, nextAttemptAt: string): Promise<void> {
    await this.collection.updateOne(
      { _id: id },
      { $set: { nextAttemptAt, lastError: reason.slice(0, 2_000) }, $inc: { attempts: 1 } },
    );
  }

  /** The events that waited for these pilots are due again; for every pilot when none is named. */
  async wake(now: string, pilotIds?: readonly string[]): Promise<void> {
    await this.collection.updateMany(
      { state: 'waiting', ...(pilotIds ? { pilotId: { $in: [...pilotIds] } } : {}) },
      { $set: { state: 'due', nextAttemptAt: now } },
    );
  }

  async resolved(id: string): Promise<void> {
    await this.collection.deleteOne({ _id: id });
  }
}
