import type { Collection } from 'mongodb';
import type { Seat } from '../workflows/messages';

/** One invitation of an expert to a team, as the expert's list of assignments reads it. */
export type AssignmentDocument = Omit<Seat, 'assignmentId' | 'reasons'> & {
  _id: string;
  pilotId: string;
  teamId: string;
  region: string;
  updatedAt: string;
};

export type AssignmentView = Omit<AssignmentDocument, '_id'> & { id: string };

/** The experts' assignments: written by the team workflow's activities, read by the experts. */
export class Assignments {
  constructor(private readonly collection: Collection<AssignmentDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ expertId: 1, invitedAt: -1 });
    await this.collection.createIndex({ pilotId: 1 });
  }

  /** The seat as it stands: an invitation creates it, every later step of the seat replaces it. */
  async keep(pilotId: string, teamId: string, region: string, seat: Seat, at: string): Promise<void> {
    const { assignmentId, reasons: _reasons, ...rest } = seat;
    await this.collection.replaceOne(
      { _id: assignmentId },
      { ...rest, pilotId, teamId, region, updatedAt: at },
      { upsert: true },
    );
  }

  async find(id: string): Promise<AssignmentView | undefined> {
    const found = await this.collection.findOne({ _id: id });
    return found ? viewOf(found) : undefined;
  }

  /** An expert's assignments, newest invitation first; only open ones unless `all`. */
  async mine(expertId: string, all: boolean): Promise<AssignmentView[]> {
    const found = await this.collection
      .find(all ? { expertId } : { expertId, status: { $in: ['invited', 'accepted'] } })
      .sort({ invitedAt: -1, _id: 1 })
      .limit(500)
      .toArray();
    return found.map(viewOf);
  }
}

const viewOf = ({ _id, ...assignment }: AssignmentDocument): AssignmentView => ({ id: _id, ...assignment });
