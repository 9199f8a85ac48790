import type { AnyEnvelope } from '@s3p/contracts';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection } from 'mongodb';
import type { CallProjection } from '../domain/call-projection';
import { projectCallEvent } from '../domain/call-projection';

/** One call as projected here; `revision` makes each change a conditional write. */
export interface CallProjectionDocument extends Omit<CallProjection, 'callId'> {
  _id: string;
  revision: number;
  updatedAt: Date;
}

const attempts = 10;

/** This service's local view of calls, written only by the consumer of `calls.events`. */
export class CallProjectionStore {
  constructor(private readonly collection: Collection<CallProjectionDocument>) {}

  async find(callId: string): Promise<CallProjection | undefined> {
    const doc = await this.collection.findOne({ _id: callId });
    return doc ? { callId: doc._id, ...withoutMeta(doc) } : undefined;
  }

  /**
   * Applies one event: read, project, write on the condition that nobody wrote in between (two
   * instances may briefly share a partition during a rebalance), else again. The event's subject
   * is the call's id, as on every topic.
   */
  async apply(event: AnyEnvelope): Promise<void> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const doc = await this.collection.findOne({ _id: event.subject });
      const current = doc ? { callId: doc._id, ...withoutMeta(doc) } : undefined;
      const next = projectCallEvent(current, event);
      if (!next) return;
      const { callId: _callId, ...fields } = next;
      const callId = event.subject;
      try {
        if (!doc) {
          await this.collection.insertOne({ _id: callId, ...fields, revision: 1, updatedAt: new Date() });
          return;
        }
        const { matchedCount } = await this.collection.replaceOne(
          { _id: callId, revision: doc.revision },
          { ...fields, revision: doc.revision + 1, updatedAt: new Date() },
        );
        if (matchedCount === 1) return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error(`call ${event.subject} kept changing while event ${event.id} was applied`);
  }
}

function withoutMeta(doc: CallProjectionDocument): Omit<CallProjection, 'callId'> {
  const { _id, revision: _revision, updatedAt: _updatedAt, ...projection } = doc;
  return projection;
}
