import { isDeepStrictEqual } from 'node:util';
import type { AnyEnvelope } from '@s3p/contracts';
import { DocumentWriteQueue } from '@s3p/messaging';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection, Db, Filter, OptionalUnlessRequiredId, WithoutId } from 'mongodb';
import type { CallProjection } from './call-projection';
import { foldCall } from './call-projection';
import type { Dashboard, DashboardFilters } from './figures';
import { dashboardFields, dashboardOf } from './figures';
import type { Opportunity, OpportunityPage } from './open-data';
import { opportunityOf, outcomesOf } from './open-data';
import type { PilotProjection } from './pilot-projection';
import { foldPilot } from './pilot-projection';
import { pilotsCsvHeader, pilotsCsvRow } from './pilots-csv';
import type { CallEvent, PilotEvent } from './projected-events';
import { asCallEvent, asPilotEvent, callIdOf, canonical, pilotIdOf } from './projected-events';
import { RecentResults } from './recent-results';
import type { PilotTimeline, TimelineEntry, TimelineVisibility } from './timeline-entries';
import { entriesFor, timelineEntryOf, timelineWith } from './timeline-entries';

/** A merged document as stored: `revision` counts its writes, for the conditional replace. */
type Revised<T> = T & { revision: number };

/** The projections' collections, named apart from the service's own `pilots` and `milestones`. */
export const projectionCollections = {
  calls: 'projection_calls',
  pilots: 'projection_pilots',
  timeline: 'projection_timeline',
} as const;

/** Another instance kept writing the document between our read and our write (MongoDB only). */
export class ProjectionContention extends Error {
  constructor(id: string) {
    super(`projection ${id} kept changing under this write; retry`);
  }
}

const maxAttempts = 10;

const append = <K, V>(groups: Map<K, V[]>, key: K, value: V) => {
  const group = groups.get(key);
  if (group) group.push(value);
  else groups.set(key, [value]);
};

/** As the driver would store it: an undefined field left out rather than written as null. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function withoutRevision<T extends { revision: number }>(document: T): Omit<T, 'revision'> {
  const { revision: _revision, ...rest } = document;
  return rest;
}

/**
 * The layout of the projections' documents. A service that finds them in another layout rebuilds
 * them at its start (see ProjectionRunner). 2: a pilot's timeline is one document (one per entry
 * before).
 */
export const projectionLayout = 2;

/** A canonical dump of every projection: the same events, in any order and number, give the same one. */
export interface ProjectionSnapshot {
  calls: unknown[];
  pilots: unknown[];
  timeline: unknown[];
}

/**
 * The read models auditors and the Commission work from, built from every topic's events: one
 * document per call, per pilot and per pilot's timeline (an entry per event). Each document is a
 * merge of the events taken in (see pilot-projection.ts), so duplicates and out-of-order
 * deliveries leave it as a replay in order would; counts and rates are computed when asked, never incremented.
 * This process's writes to a document go through one queue (FerretDB 1.x: see
 * DocumentWriteQueue); the replace is conditional on the revision read, against other instances
 * on MongoDB.
 */
export class Projections {
  readonly calls: Collection<Revised<CallProjection>>;
  readonly pilots: Collection<Revised<PilotProjection>>;
  readonly timelines: Collection<Revised<PilotTimeline>>;
  private readonly writes = new DocumentWriteQueue();
  private readonly dashboards: RecentResults<Dashboard>;

  constructor(db: Db) {
    // The dashboard reads every submitted pilot (on FerretDB some 0.2 ms each, seconds at 10,000),
    // while auditors open it over and over: its figures are reused for 5 s, then served up to 30 s
    // while one computation replaces them.
    this.dashboards = new RecentResults({ freshMs: 5_000, staleMs: 30_000, maxKeys: 200 });
    this.calls = db.collection(projectionCollections.calls);
    this.pilots = db.collection(projectionCollections.pilots);
    this.timelines = db.collection(projectionCollections.timeline);
  }

  async ensureIndexes(): Promise<void> {
    await this.pilots.createIndex({ submitted: 1, callId: 1 });
  }

  /** Takes one event in: the EventHandler of the projections' consumer. */
  async apply(event: AnyEnvelope): Promise<void> {
    const call = asCallEvent(event);
    if (call) {
      await this.merge(this.calls, callIdOf(call), (held) => foldCall(held, call));
      return;
    }
    const pilotEvent = asPilotEvent(event);
    if (!pilotEvent) return;
    const entry = timelineEntryOf(pilotEvent);
    await this.merge(this.timelines, entry.pilotId, (held) => timelineWith(held, entry));
    await this.merge(this.pilots, entry.pilotId, (held) => foldPilot(held, pilotEvent));
  }

  /**
   * Takes several events in, in their order, as `apply` of each in turn would: one read and at
   * most one write per document they touch, the documents new to the projections in one insert
   * per collection. For the projections' consumer catching up (a rebuild reads every topic).
   */
  async applyMany(events: AnyEnvelope[]): Promise<void> {
    const calls = new Map<string, CallEvent[]>();
    const pilots = new Map<string, PilotEvent[]>();
    for (const event of events) {
      const call = asCallEvent(event);
      if (call) append(calls, callIdOf(call), call);
      const pilotEvent = call ? undefined : asPilotEvent(event);
      if (pilotEvent) append(pilots, pilotIdOf(pilotEvent), pilotEvent);
    }
    await this.mergeMany(this.calls, calls, foldCall);
    await this.mergeMany(this.timelines, pilots, (held, event) => timelineWith(held, timelineEntryOf(event)));
    await this.mergeMany(this.pilots, pilots, foldPilot);
  }

  /** Empties every projection, for a rebuild from the first offset. */
  async clear(): Promise<void> {
    this.dashboards.clear();
    await this.calls.deleteMany({});
    await this.pilots.deleteMany({});
    await this.timelines.deleteMany({});
  }

  /**
   * The pilot's history, oldest first (by event time, then event id, so that ties sort the same
   * way): all of it for the Commission, the parties' entries for its regions.
   */
  async timeline(pilotId: string, audience: TimelineVisibility = 'commission'): Promise<TimelineEntry[]> {
    return entriesFor(await this.timelines.findOne({ _id: pilotId }), audience);
  }

  /** How many entries the timelines hold, all pilots together. */
  async timelineEntryCount(): Promise<number> {
    let count = 0;
    for await (const timeline of this.timelines.find({}, { projection: { 'entries._id': 1 } })) {
      count += timeline.entries.length;
    }
    return count;
  }

  /** The pilot, for access checks (region, partners) and its standing; null when no event named it. */
  async pilot(pilotId: string): Promise<PilotProjection | null> {
    const pilot = await this.pilots.findOne({ _id: pilotId });
    return pilot && withoutRevision(pilot);
  }

  /**
   * The figures of the submitted applications the filters select, as of `asOf`: computed at most
   * a few seconds before (see the constructor), like any read model a little behind the events.
   */
  async dashboard(filters: DashboardFilters = {}): Promise<Dashboard & { asOf: string }> {
    const { callId, pilotType, country, stage } = filters;
    const { value, at } = await this.dashboards.get(JSON.stringify([callId, pilotType, country, stage]), () =>
      this.computedDashboard(filters),
    );
    return { ...value, asOf: new Date(at).toISOString() };
  }

  private async computedDashboard(filters: DashboardFilters): Promise<Dashboard> {
    const selected: Filter<Revised<PilotProjection>> = {
      submitted: true,
      ...(filters.callId === undefined ? {} : { callId: filters.callId }),
      ...(filters.pilotType === undefined ? {} : { pilotType: filters.pilotType }),
      ...(filters.country === undefined ? {} : { country: filters.country }),
      ...(filters.stage === undefined ? {} : { stage: filters.stage }),
    };
    // The fields the figures read only, in no order: sums and counts need none.
    const pilots = await this.pilots.find(selected, { projection: dashboardFields }).toArray();
    return dashboardOf(pilots, await this.callTitles(), filters);
  }

  /** Every submitted application as a CSV record, after a header line, by pilot id. */
  async *pilotsCsv(): AsyncIterable<string> {
    const titles = await this.callTitles();
    yield pilotsCsvHeader();
    for await (const pilot of this.pilots.find({ submitted: true }).sort({ _id: 1 })) {
      yield pilotsCsvRow(pilot, pilot.callId === undefined ? undefined : titles.get(pilot.callId));
    }
  }

  /** The published calls as CommonGrants opportunities, by call id, each with what it led to. */
  async openData({
    page = 1,
    pageSize = 100,
  }: { page?: number; pageSize?: number } = {}): Promise<OpportunityPage> {
    const published: Filter<Revised<CallProjection>> = {
      content: { $exists: true },
      status: { $in: ['scheduled', 'open', 'closed'] },
    };
    const totalItems = await this.calls.countDocuments(published);
    const calls = await this.calls
      .find(published)
      .sort({ _id: 1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .toArray();
    const pilots = await this.pilots
      .find({ submitted: true, callId: { $in: calls.map((call) => call._id) } })
      .toArray();
    const items = calls
      .map((call) => opportunityOf(call, outcomesOf(pilots.filter((pilot) => pilot.callId === call._id))))
      .filter((opportunity): opportunity is Opportunity => opportunity !== undefined);
    return {
      status: 200,
      message: 'Success',
      items,
      paginationInfo: { page, pageSize, totalItems, totalPages: Math.ceil(totalItems / pageSize) },
    };
  }

  /** Every projection document, sorted by id, keys sorted, without the write counters. */
  async snapshot(): Promise<ProjectionSnapshot> {
    const dump = async <D extends { _id: string }>(collection: Collection<D>) =>
      (await collection.find({}).sort({ _id: 1 }).toArray()).map((document) => {
        const { revision: _revision, ...rest } = document as D & { revision?: number };
        return canonical(rest);
      });
    const entries = (await this.timelines.find({}).toArray()).flatMap((timeline) => timeline.entries);
    return {
      calls: await dump(this.calls),
      pilots: await dump(this.pilots),
      timeline: entries.sort((a, b) => (a._id < b._id ? -1 : 1)).map((entry) => canonical(entry)),
    };
  }

  private async callTitles(): Promise<Map<string, string>> {
    const calls = await this.calls
      .find({ content: { $exists: true } }, { projection: { 'content.call.title': 1 } })
      .toArray();
    return new Map(calls.flatMap((call) => (call.content ? [[call._id, call.content.call.title]] : [])));
  }

  /**
   * `merge` for several documents and several events each: the documents read side by side (by
   * `_id`, which FerretDB finds without a scan), each one's events folded in, the new documents
   * inserted together and the changed ones replaced. A document someone else wrote meanwhile
   * takes its events one merge at a time.
   */
  private async mergeMany<T extends { _id: string }, E>(
    collection: Collection<Revised<T>>,
    eventsById: Map<string, E[]>,
    fold: (held: T | undefined, event: E) => T,
  ): Promise<void> {
    const mergeEach = async (id: string, events: E[]) => {
      for (const event of events) await this.merge(collection, id, (held) => fold(held, event));
    };
    const created: { id: string; events: E[]; document: Revised<T> }[] = [];
    await Promise.all(
      [...eventsById].map(async ([id, events]) => {
        const held = await collection.findOne({ _id: id } as Filter<Revised<T>>);
        const current = held ? (withoutRevision(held) as unknown as T) : undefined;
        const next = stored(events.reduce<T | undefined>((folded, event) => fold(folded, event), current)!);
        if (!held) {
          created.push({ id, events, document: { ...next, revision: 1 } });
          return;
        }
        if (isDeepStrictEqual(canonical(next), canonical(current))) return;
        const replaced = await this.writes.run(`${collection.collectionName}/${id}`, () =>
          this.replace(collection, held.revision, next),
        );
        if (!replaced) await mergeEach(id, events);
      }),
    );
    if (created.length === 0) return;
    try {
      await collection.insertMany(
        created.map(({ document }) => document as OptionalUnlessRequiredId<Revised<T>>),
        { ordered: false },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Inserted meanwhile by another writer: merged one event at a time over what is there (a
      // document this insert wrote takes its events again without a change).
      for (const { id, events } of created) await mergeEach(id, events);
    }
  }

  /**
   * Reads the document, merges the event in, and replaces it if that changed anything. Only the
   * merge decides the content, so a lost race is simply merged again over the newer document.
   */
  private merge<T extends { _id: string }>(
    collection: Collection<Revised<T>>,
    id: string,
    fold: (held: T | undefined) => T,
  ): Promise<void> {
    return this.writes.run(`${collection.collectionName}/${id}`, async () => {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const held = await collection.findOne({ _id: id } as Filter<Revised<T>>);
        const current = held ? (withoutRevision(held) as unknown as T) : undefined;
        const next = stored(fold(current));
        if (current && isDeepStrictEqual(canonical(next), canonical(current))) return;
        if (await this.replace(collection, held?.revision, next)) return;
      }
      throw new ProjectionContention(id);
    });
  }

  private async replace<T extends { _id: string }>(
    collection: Collection<Revised<T>>,
    revision: number | undefined,
    next: T,
  ): Promise<boolean> {
    if (revision === undefined) {
      try {
        await collection.insertOne({ ...next, revision: 1 } as OptionalUnlessRequiredId<Revised<T>>);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    }
    const written = await collection.replaceOne(
      { _id: next._id, revision } as Filter<Revised<T>>,
      { ...next, revision: revision + 1 } as WithoutId<Revised<T>>,
    );
    return written.matchedCount === 1;
  }
}
