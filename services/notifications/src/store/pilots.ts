import { DocumentWriteQueue } from '@s3p/messaging';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection, Filter } from 'mongodb';
import type { PilotFacts } from '../domain/notification-rules';

/** What notices about a pilot need and its events may lack: whose it is, and what it is called. */
export type PilotDocument = {
  _id: string;
  callId: string;
  region: string;
  partners: string[];
  title?: string;
  milestones?: string[];
  /** The submission the title and milestones come from: a newer one replaces them, an older one does not. */
  submissionVersion?: number;
  updatedAt: string;
};

/** The pilots as the notifications follow them, from the lifecycle's stage changes and the submissions. */
export class Pilots {
  private readonly writeQueue = new DocumentWriteQueue();

  constructor(readonly collection: Collection<PilotDocument>) {}

  /** Whose the pilot is: the same in every event that says it, so it is simply set. */
  private async setParties(pilotId: string, parties: Pick<PilotDocument, 'callId' | 'region' | 'partners'>) {
    const write = () =>
      this.collection.updateOne(
        { _id: pilotId },
        { $set: { ...parties, updatedAt: new Date().toISOString() } },
        { upsert: true },
      );
    try {
      await write();
    } catch (error) {
      // Another instance created it first: now it exists, and the update applies.
      if (!isDuplicateKey(error)) throw error;
      await write();
    }
  }

  learnParties(
    pilotId: string,
    parties: Pick<PilotDocument, 'callId' | 'region' | 'partners'>,
  ): Promise<void> {
    return this.writeQueue.run(pilotId, () => this.setParties(pilotId, parties));
  }

  /** A submission: its parties, and its title and milestones when it is newer than the one kept. */
  learnSubmission(
    pilotId: string,
    submission: Pick<PilotDocument, 'callId' | 'region' | 'partners'> & {
      version: number;
      title: string;
      milestones: string[];
    },
  ): Promise<void> {
    const { version, title, milestones, ...parties } = submission;
    return this.writeQueue.run(pilotId, async () => {
      await this.setParties(pilotId, parties);
      await this.collection.updateOne(
        {
          _id: pilotId,
          $or: [{ submissionVersion: { $exists: false } }, { submissionVersion: { $lt: version } }],
        } as Filter<PilotDocument>,
        { $set: { title, milestones, submissionVersion: version } },
      );
    });
  }

  async find(pilotId: string): Promise<PilotFacts | undefined> {
    const pilot = await this.collection.findOne({ _id: pilotId });
    if (!pilot) return undefined;
    return {
      pilotId: pilot._id,
      region: pilot.region,
      partners: pilot.partners,
      ...(pilot.title ? { title: pilot.title } : {}),
      ...(pilot.milestones ? { milestones: pilot.milestones } : {}),
    };
  }
}
