import { isDeepStrictEqual } from 'node:util';
import type {
  Actor,
  AnyEnvelope,
  ExpertBody,
  ExpertPatchBody,
  ExpertSnapshot,
  MemberState,
  PriorityDomain,
} from '@s3p/contracts';
import { expertEvents } from '@s3p/contracts';
import { DocumentWriteQueue, newEvent, pushToOutbox } from '@s3p/messaging';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection, Filter } from 'mongodb';

export const eventSource = 'experts';

/** An expert as the registry keeps it: its entry, its workload, and the events the relay has yet to publish. */
export type ExpertDocument = Omit<ExpertSnapshot, 'id'> & {
  _id: string;
  /** Seats held, invited or accepted: never above `capacity` when taken, though a lowered capacity may leave it above. */
  load: number;
  /** The pilots whose team the expert holds a seat on: one seat per pilot. */
  holds: string[];
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  outbox: AnyEnvelope[];
};

export type StoredExpert = Omit<ExpertDocument, 'outbox'>;

/** An active expert as team proposals weigh it: its entry and how many seats it holds. */
export type PoolExpert = ExpertSnapshot & { load: number };

/** Who caused a change, and in which chain of requests or events: what its event carries. */
export interface EventMeta {
  actor: Actor;
  correlationId: string;
  causationId?: string | null;
}

export type ExpertField = keyof ExpertPatchBody;

export type ExpertUpdate =
  | { outcome: 'updated'; expert: StoredExpert; changed: ExpertField[] }
  /** The patch says what the entry already says: no new version, no event. */
  | { outcome: 'unchanged'; expert: StoredExpert }
  | { outcome: 'stale'; version: number }
  | { outcome: 'unknown' };

export type Reservation = 'reserved' | 'already-held' | 'full' | 'unknown';
export type Release = 'released' | 'not-held';

export interface ExpertListQuery {
  country?: MemberState;
  /** Experts with a domain in the same NACE section, NABS chapter or policy objective. */
  domain?: PriorityDomain;
  active?: boolean;
  limit: number;
  /** The last id of the previous page. */
  cursor?: string;
}

/** Another instance kept writing the expert between our read and our write (MongoDB only). */
export class ExpertContention extends Error {
  constructor(expertId: string) {
    super(`expert ${expertId} kept changing under this write; retry`);
  }
}

/** Re-reads after a write lost to another instance before giving up. */
const maxAttempts = 10;

const withoutOutbox = { projection: { outbox: 0 } } as const;

function snapshotOf(expert: StoredExpert): ExpertSnapshot {
  return {
    id: expert._id,
    name: expert.name,
    country: expert.country,
    languages: expert.languages,
    domains: expert.domains,
    supportAreas: expert.supportAreas,
    capacity: expert.capacity,
    availability: expert.availability,
    conflicts: expert.conflicts,
    active: expert.active,
    version: expert.version,
  };
}

// Dotted paths, not $elemMatch, which FerretDB 1.x lacks; each of these fields exists in one kind
// of domain only, so each path alone says the kind.
function domainFilter(domain: PriorityDomain): Filter<ExpertDocument> {
  switch (domain.kind) {
    case 'economic':
      return { 'domains.naceSection': domain.naceSection };
    case 'scientific':
      return { 'domains.nabsChapter': domain.nabsChapter };
    case 'policy':
      return { 'domains.objective': domain.objective };
  }
}

/**
 * The registry of Commission experts, and the seats of their capacity that pilots' teams hold.
 * Every write to one expert goes through one queue (see DocumentWriteQueue: on FerretDB 1.x a
 * conditional update is not atomic), and each also carries its conditions, which alone guard
 * against other instances on MongoDB. The outbox relay must be given `writeQueue` too.
 */
export class ExpertRegistry {
  readonly writeQueue = new DocumentWriteQueue();

  constructor(readonly collection: Collection<ExpertDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ country: 1 });
    await this.collection.createIndex({ active: 1 });
  }

  /** Adds an expert with its `expert.registered` event; 'exists' when the id is taken. */
  async register(body: ExpertBody, by: string, meta: EventMeta): Promise<StoredExpert | 'exists'> {
    const { id, ...fields } = body;
    const now = new Date();
    const expert: StoredExpert = {
      _id: id,
      ...fields,
      version: 1,
      load: 0,
      holds: [],
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      createdBy: by,
      updatedBy: by,
    };
    const registered = newEvent(expertEvents.expertRegistered, {
      ...this.origin(id, meta, now),
      data: { expert: snapshotOf(expert) },
    });
    try {
      await this.writeQueue.run(id, () => this.collection.insertOne({ ...expert, outbox: [registered] }));
    } catch (error) {
      if (isDuplicateKey(error)) return 'exists';
      throw error;
    }
    return expert;
  }

  /**
   * Applies a patch, if the expert is still at `expectedVersion` when one is given, with its
   * `expert.updated` event naming the fields that changed. A capacity may go below the current
   * load: the seats already held stay, and the expert simply gets no new one until enough are
   * released. The version counts changes of the entry, not of the workload.
   */
  async update(
    id: string,
    patch: ExpertPatchBody,
    expectedVersion: number | undefined,
    by: string,
    meta: EventMeta,
  ): Promise<ExpertUpdate> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const update = await this.writeQueue.run(id, async (): Promise<ExpertUpdate | undefined> => {
        const current = await this.find(id);
        if (!current) return { outcome: 'unknown' };
        if (expectedVersion !== undefined && current.version !== expectedVersion) {
          return { outcome: 'stale', version: current.version };
        }
        const changed = (Object.keys(patch) as ExpertField[]).filter(
          (field) => !isDeepStrictEqual(patch[field], current[field]),
        );
        if (changed.length === 0) return { outcome: 'unchanged', expert: current };
        const now = new Date();
        const set = {
          ...Object.fromEntries(changed.map((field) => [field, patch[field]])),
          updatedAt: now.toISOString(),
          updatedBy: by,
        };
        const expert: StoredExpert = { ...current, ...set, version: current.version + 1 };
        const updated = newEvent(expertEvents.expertUpdated, {
          ...this.origin(id, meta, now),
          data: { expert: snapshotOf(expert), changed },
        });
        const written = await this.collection.updateOne(
          { _id: id, version: current.version },
          { $set: set, $inc: { version: 1 }, $push: pushToOutbox([updated]) },
        );
        return written.matchedCount > 0 ? { outcome: 'updated', expert, changed } : undefined;
      });
      if (update) return update;
    }
    throw new ExpertContention(id);
  }

  find(id: string): Promise<StoredExpert | null> {
    return this.collection.findOne({ _id: id }, withoutOutbox);
  }

  /** By id, `limit + 1` of them so that the page knows whether another follows. */
  list({ country, domain, active, limit, cursor }: ExpertListQuery): Promise<StoredExpert[]> {
    const filter: Filter<ExpertDocument> = {
      ...(cursor === undefined ? {} : { _id: { $gt: cursor } }),
      ...(country === undefined ? {} : { country }),
      ...(active === undefined ? {} : { active }),
      ...(domain === undefined ? {} : domainFilter(domain)),
    };
    return this.collection
      .find(filter, withoutOutbox)
      .sort({ _id: 1 })
      .limit(limit + 1)
      .toArray();
  }

  /**
   * Every expert with its load, by id: what a team is proposed from. The inactive are there too:
   * a team may keep a member who was made inactive since, and the others are passed over with
   * that reason.
   */
  async pool(): Promise<PoolExpert[]> {
    const experts = await this.collection
      .find({}, { projection: { outbox: 0, holds: 0 } })
      .sort({ _id: 1 })
      .toArray();
    return experts.map((expert) => ({ ...snapshotOf(expert), load: expert.load }));
  }

  /**
   * Takes one seat of the expert's capacity for the pilot, once: a second reservation for the
   * same pilot is 'already-held' and takes nothing. The write's filter repeats the decision (the
   * capacity it was taken on, a free seat, no seat for this pilot yet), so a capacity changed
   * in between makes it miss and the decision is taken again on the new capacity.
   */
  async reserve(expertId: string, pilotId: string): Promise<Reservation> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const reservation = await this.writeQueue.run(expertId, async (): Promise<Reservation | undefined> => {
        const expert = await this.collection.findOne(
          { _id: expertId },
          { projection: { capacity: 1, load: 1, holds: 1 } },
        );
        if (!expert) return 'unknown';
        if (expert.holds.includes(pilotId)) return 'already-held';
        if (expert.load >= expert.capacity) return 'full';
        const written = await this.collection.updateOne(
          {
            _id: expertId,
            capacity: expert.capacity,
            load: { $lt: expert.capacity },
            holds: { $nin: [pilotId] },
          },
          { $inc: { load: 1 }, $addToSet: { holds: pilotId } },
        );
        return written.matchedCount > 0 ? 'reserved' : undefined;
      });
      if (reservation) return reservation;
    }
    throw new ExpertContention(expertId);
  }

  /** Gives back the pilot's seat; releasing a seat the expert does not hold changes nothing. */
  async release(expertId: string, pilotId: string): Promise<Release> {
    const written = await this.writeQueue.run(expertId, () =>
      // $pullAll rather than $pull, which FerretDB 1.x does not fully support.
      this.collection.updateOne(
        { _id: expertId, holds: pilotId },
        { $inc: { load: -1 }, $pullAll: { holds: [pilotId] } },
      ),
    );
    return written.matchedCount > 0 ? 'released' : 'not-held';
  }

  private origin(expertId: string, meta: EventMeta, at: Date) {
    return {
      source: eventSource,
      subject: expertId,
      occurredAt: at,
      actor: meta.actor,
      correlationId: meta.correlationId,
      causationId: meta.causationId ?? null,
    };
  }
}
