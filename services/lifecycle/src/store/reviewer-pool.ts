import type { Collection } from 'mongodb';
import type { PoolReviewer } from '../domain/reviewer-selection';

export type ReviewerDocument = Omit<PoolReviewer, 'id'> & {
  _id: string;
  name: string;
  updatedAt: string;
  updatedBy: string;
};

export class ReviewerPool {
  constructor(readonly collection: Collection<ReviewerDocument>) {}

  async all(): Promise<PoolReviewer[]> {
    const documents = await this.collection.find({}).sort({ _id: 1 }).toArray();
    return documents.map(({ _id, country, conflicts, active }) => ({ id: _id, country, conflicts, active }));
  }

  list(): Promise<ReviewerDocument[]> {
    return this.collection.find({}).sort({ _id: 1 }).limit(1_000).toArray();
  }

  find(id: string): Promise<ReviewerDocument | null> {
    return this.collection.findOne({ _id: id });
  }

  /** Creates or replaces a reviewer's entry; true when it was new. */
  async put(reviewer: ReviewerDocument): Promise<boolean> {
    const result = await this.collection.replaceOne({ _id: reviewer._id }, reviewer, { upsert: true });
    return result.upsertedCount > 0;
  }
}
