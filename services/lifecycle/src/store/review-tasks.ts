import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection } from 'mongodb';

export type ReviewTaskState = 'declare' | 'review' | 'consensus' | 'done' | 'vacated';

/** One reviewer's seat on one pilot in one round, as the reviewer's task list shows it. */
export interface ReviewTaskDocument {
  /** `<pilotId>:<round>:<reviewer>`: seating the same reviewer twice is one task. */
  _id: string;
  pilotId: string;
  round: number;
  reviewer: string;
  state: ReviewTaskState;
  title: string;
  dueAt: string;
  assignedAt: string;
  /** The seating request that seated it (its choice is kept in `Seatings`). */
  requestId: string;
}

const openStates: ReviewTaskState[] = ['declare', 'review', 'consensus'];

export class ReviewTasks {
  constructor(readonly collection: Collection<ReviewTaskDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ reviewer: 1, state: 1 });
    await this.collection.createIndex({ pilotId: 1 });
  }

  /** Open tasks per reviewer: the workload assignment balances. */
  async workload(): Promise<Map<string, number>> {
    const open = await this.collection
      .find({ state: { $in: openStates } }, { projection: { reviewer: 1 } })
      .toArray();
    const counts = new Map<string, number>();
    for (const task of open) counts.set(task.reviewer, (counts.get(task.reviewer) ?? 0) + 1);
    return counts;
  }

  /** Seats each task once; a task already there (a retry, or a concurrent upsert of it) stays. */
  async seat(tasks: ReviewTaskDocument[]): Promise<void> {
    for (const task of tasks) {
      try {
        await this.collection.updateOne({ _id: task._id }, { $setOnInsert: task }, { upsert: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  /** Moves the pilot's tasks of a round (one reviewer's, or every open one) to a new state. */
  async move(pilotId: string, round: number, state: ReviewTaskState, reviewer?: string): Promise<void> {
    await this.collection.updateMany(
      {
        pilotId,
        round,
        ...(reviewer ? { reviewer } : { state: { $in: openStates } }),
      },
      { $set: { state } },
    );
  }

  mine(reviewer: string, includeClosed: boolean): Promise<ReviewTaskDocument[]> {
    return this.collection
      .find({ reviewer, ...(includeClosed ? {} : { state: { $in: openStates } }) })
      .sort({ dueAt: 1, _id: 1 })
      .limit(500)
      .toArray();
  }
}
