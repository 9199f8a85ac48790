import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection } from 'mongodb';

/** The reviewers chosen for one seating request, kept before their tasks are written. */
export interface SeatingDocument {
  /** The workflow's request id: a retried request reads its first choice back by `_id`. */
  _id: string;
  pilotId: string;
  round: number;
  chosen: string[];
  missing: number;
  decidedAt: string;
}

/**
 * Each seating request's choice. A retry after a crash between the choice and the tasks seats the
 * same reviewers again rather than choosing anew on a workload that already counts them.
 */
export class Seatings {
  constructor(readonly collection: Collection<SeatingDocument>) {}

  find(requestId: string): Promise<SeatingDocument | null> {
    return this.collection.findOne({ _id: requestId });
  }

  /** Keeps a choice; when another attempt kept one first, that one stands and is answered. */
  async keep(seating: SeatingDocument): Promise<SeatingDocument> {
    try {
      await this.collection.insertOne(seating);
      return seating;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const kept = await this.find(seating._id);
      if (!kept) throw error;
      return kept;
    }
  }
}
