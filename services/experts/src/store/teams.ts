import type { AnyEnvelope } from '@s3p/contracts';
import { DocumentWriteQueue, pushToOutbox } from '@s3p/messaging';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection, Filter } from 'mongodb';
import type { ProposalOutcome } from '../activities/notices';
import type { TeamPhase, TeamView } from '../workflows/messages';

/** A team as lists read it, with the events its workflow recorded and the relay has yet to publish. */
export type TeamDocument = {
  _id: string;
  teamId: string;
  callId: string;
  region: string;
  partners: string[];
  phase: TeamPhase;
  /** Experts holding a seat now (invited or accepted). */
  experts: string[];
  view: TeamView;
  updatedAt: string;
  /** Ids of every event recorded for the team: a retried record adds nothing. */
  emitted: string[];
  outbox: AnyEnvelope[];
};

/** A proposal as it was made, so that a retried proposal answers the same. */
export type ProposalDocument = {
  _id: string;
  pilotId: string;
  attempt: number;
  outcome: ProposalOutcome;
  at: string;
};

/**
 * The teams' last word. The workflow is the truth about a team; this collection keeps what it
 * said last, for lists and for pilots whose workflow has ended, with its events in the same
 * document so that the outbox relay publishes exactly what was recorded.
 */
export class TeamStore {
  readonly writeQueue = new DocumentWriteQueue();

  constructor(
    readonly collection: Collection<TeamDocument>,
    private readonly proposals: Collection<ProposalDocument>,
  ) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ phase: 1 });
    await this.collection.createIndex({ experts: 1 });
    await this.proposals.createIndex({ pilotId: 1 });
  }

  /** Records one event and the view it leaves, once: a repeat with the same event id changes nothing. */
  record(pilotId: string, event: AnyEnvelope, view: TeamView): Promise<boolean> {
    return this.writeQueue.run(pilotId, async () => {
      try {
        const result = await this.collection.updateOne(
          { _id: pilotId, emitted: { $ne: event.id } } as Filter<TeamDocument>,
          {
            $set: {
              teamId: view.teamId,
              callId: view.callId,
              region: view.region,
              partners: view.partners,
              phase: view.phase,
              experts: view.members
                .filter((m) => m.status === 'invited' || m.status === 'accepted')
                .map((m) => m.expertId),
              view,
              updatedAt: event.occurredAt,
            },
            $push: { ...pushToOutbox([event]), emitted: event.id } as never,
          },
          { upsert: true },
        );
        return result.matchedCount > 0 || result.upsertedCount > 0;
      } catch (error) {
        // The upsert found the team with this event already recorded and tried to insert it anew.
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    });
  }

  async view(pilotId: string): Promise<TeamView | undefined> {
    const found = await this.collection.findOne({ _id: pilotId }, { projection: { view: 1 } });
    return found?.view;
  }

  async proposal(pilotId: string, attempt: number): Promise<ProposalOutcome | undefined> {
    return (await this.proposals.findOne({ _id: `${pilotId}:${attempt}` }))?.outcome;
  }

  async keepProposal(pilotId: string, attempt: number, outcome: ProposalOutcome): Promise<void> {
    await this.proposals.replaceOne(
      { _id: `${pilotId}:${attempt}` },
      { pilotId, attempt, outcome, at: new Date().toISOString() },
      { upsert: true },
    );
  }
}
