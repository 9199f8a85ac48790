import type { Collection } from 'mongodb';

/** A digest being sent: exactly these notices, under one Message-ID, however many attempts it takes. */
export interface DigestBatch {
  id: string;
  items: string[];
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
}

/** One person's digests: when the last went out, and the one under way. */
export type DigestDocument = {
  /** The person's `sub`. */
  _id: string;
  lastSentAt?: string;
  batch: DigestBatch | null;
};

/** The digests' progress. Only the digest loop writes here, one person after the other. */
export class Digests {
  constructor(readonly collection: Collection<DigestDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ 'batch.nextAttemptAt': 1 });
  }

  find(recipient: string): Promise<DigestDocument | null> {
    return this.collection.findOne({ _id: recipient });
  }

  /** The people with a digest under way (a crash or an SMTP outage interrupted it). */
  async withBatch(): Promise<string[]> {
    const found = await this.collection.find({ batch: { $ne: null } }, { projection: { _id: 1 } }).toArray();
    return found.map((doc) => doc._id);
  }

  async startBatch(recipient: string, batch: DigestBatch): Promise<void> {
    await this.collection.updateOne({ _id: recipient }, { $set: { batch } }, { upsert: true });
  }

  async batchFailed(recipient: string, reason: string, nextAttemptAt: string): Promise<void> {
    await this.collection.updateOne(
      { _id: recipient },
      {
        $set: { 'batch.nextAttemptAt': nextAttemptAt, 'batch.lastError': reason.slice(0, 2_000) },
        $inc: { 'batch.attempts': 1 },
      },
    );
  }

  async batchSent(recipient: string, sentAt: string): Promise<void> {
    await this.collection.updateOne({ _id: recipient }, { $set: { lastSentAt: sentAt, batch: null } });
  }
}
