import { randomUUID } from 'node:crypto';
import type { ExpertBody, MemberState } from '@s3p/contracts';
import { expertBody, validateEvent } from '@s3p/contracts';
import { isolation } from '@s3p/testkit';
import type { Collection, Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import type { EventMeta, ExpertDocument, Reservation } from '../src/store/expert-registry';
import { ExpertRegistry } from '../src/store/expert-registry';

// One registry, as the service runs one instance on FerretDB (see DocumentWriteQueue): the
// concurrent calls below race inside it exactly as concurrent requests and activities would.
const names = isolation('expert-registry');
let client: MongoClient;
let db: Db;
let collection: Collection<ExpertDocument>;
let registry: ExpertRegistry;

beforeAll(async () => {
  client = await MongoClient.connect(names.mongoUri);
  db = client.db();
  collection = db.collection<ExpertDocument>('experts');
  registry = new ExpertRegistry(collection);
  await registry.ensureIndexes();
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

const meta = (): EventMeta => ({
  actor: { kind: 'user', sub: 'manager', roles: ['programme-manager'] },
  correlationId: randomUUID(),
});

const bodyOf = (id: string, overrides: Partial<ExpertBody> = {}): ExpertBody =>
  expertBody.parse({
    id,
    name: `Expert ${id}`,
    country: 'AT',
    languages: ['de', 'en'],
    domains: [{ kind: 'economic', naceSection: 'C', naceDivision: '29' }],
    supportAreas: ['skills'],
    capacity: 3,
    ...overrides,
  });

/** A new expert of its own for one test. */
async function registered(overrides: Partial<ExpertBody> = {}): Promise<string> {
  const id = `x-${randomUUID().slice(0, 8)}`;
  const expert = await registry.register(bodyOf(id, overrides), 'manager', meta());
  if (expert === 'exists') throw new Error(`${id} exists`);
  return id;
}

const outboxOf = async (id: string) => (await collection.findOne({ _id: id }))?.outbox ?? [];
const workloadOf = async (id: string) => {
  const expert = await registry.find(id);
  return { load: expert?.load, holds: [...(expert?.holds ?? [])].sort() };
};
const countOf = (outcomes: Reservation[], outcome: Reservation) =>
  outcomes.filter((o) => o === outcome).length;
const pilots = (count: number, prefix = 'pilot') =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);

describe('registering an expert', () => {
  it('adds it at version 1 with no load, its expert.registered event in the same document', async () => {
    const cause = meta();
    const expert = await registry.register(bodyOf('anna.berger'), 'manager', cause);
    expect(expert).toMatchObject({
      _id: 'anna.berger',
      version: 1,
      load: 0,
      holds: [],
      capacity: 3,
      active: true,
      conflicts: { regions: [], countries: [], organisations: [] },
      createdBy: 'manager',
      updatedBy: 'manager',
    });
    expect(await registry.find('anna.berger')).toEqual(expert);

    const [event, ...more] = await outboxOf('anna.berger');
    expect(more).toEqual([]);
    const checked = validateEvent(event);
    expect(checked.ok).toBe(true);
    expect(event).toMatchObject({
      type: 'expert.registered',
      version: 1,
      source: 'experts',
      subject: 'anna.berger',
      correlationId: cause.correlationId,
      causationId: null,
      actor: cause.actor,
      data: { expert: { id: 'anna.berger', version: 1, capacity: 3, country: 'AT' } },
    });
  });

  it('refuses an id already taken, and keeps the first entry', async () => {
    const id = await registered();
    expect(await registry.register(bodyOf(id, { name: 'Someone else' }), 'manager', meta())).toBe('exists');
    expect((await registry.find(id))?.name).toBe(`Expert ${id}`);
    expect(await outboxOf(id)).toHaveLength(1);
  });
});

describe('updating an expert', () => {
  it('applies a patch at the expected version, with expert.updated naming the fields that changed', async () => {
    const id = await registered();
    const cause = meta();
    const update = await registry.update(
      id,
      { capacity: 4, languages: ['de', 'en'], active: false },
      1,
      'manager2',
      cause,
    );
    expect(update).toMatchObject({
      outcome: 'updated',
      changed: ['capacity', 'active'],
      expert: { version: 2, capacity: 4, active: false, updatedBy: 'manager2', createdBy: 'manager' },
    });
    expect(await registry.find(id)).toMatchObject({ version: 2, capacity: 4, active: false });

    const events = await outboxOf(id);
    expect(events.map((e) => e.type)).toEqual(['expert.registered', 'expert.updated']);
    expect(validateEvent(events[1]).ok).toBe(true);
    expect(events[1]).toMatchObject({
      subject: id,
      correlationId: cause.correlationId,
      data: { changed: ['capacity', 'active'], expert: { id, version: 2, capacity: 4, active: false } },
    });
  });

  it('refuses a stale version, naming the current one, and changes nothing', async () => {
    const id = await registered();
    await registry.update(id, { capacity: 2 }, undefined, 'manager', meta());
    expect(await registry.update(id, { capacity: 1 }, 1, 'manager', meta())).toEqual({
      outcome: 'stale',
      version: 2,
    });
    expect(await registry.find(id)).toMatchObject({ version: 2, capacity: 2 });
    expect(await outboxOf(id)).toHaveLength(2);
  });

  it('takes a patch that changes nothing as it is: no new version, no event', async () => {
    const id = await registered();
    const update = await registry.update(
      id,
      { capacity: 3, conflicts: { regions: [], countries: [], organisations: [] } },
      1,
      'manager',
      meta(),
    );
    expect(update).toMatchObject({ outcome: 'unchanged', expert: { version: 1 } });
    expect(await outboxOf(id)).toHaveLength(1);
  });

  it('answers unknown for an expert not in the registry', async () => {
    expect(await registry.update('nobody', { capacity: 2 }, undefined, 'manager', meta())).toEqual({
      outcome: 'unknown',
    });
  });

  it('lowers a capacity below the load: the seats held stay, no new one is taken until enough are released', async () => {
    const id = await registered({ capacity: 3 });
    expect(await registry.reserve(id, 'p1')).toBe('reserved');
    expect(await registry.reserve(id, 'p2')).toBe('reserved');
    expect(await registry.update(id, { capacity: 1 }, undefined, 'manager', meta())).toMatchObject({
      outcome: 'updated',
    });
    expect(await workloadOf(id)).toEqual({ load: 2, holds: ['p1', 'p2'] });
    expect(await registry.reserve(id, 'p3')).toBe('full');
    await registry.release(id, 'p1');
    expect(await registry.reserve(id, 'p3')).toBe('full');
    await registry.release(id, 'p2');
    expect(await registry.reserve(id, 'p3')).toBe('reserved');
    expect(await workloadOf(id)).toEqual({ load: 1, holds: ['p3'] });
  });
});

describe('listing experts', () => {
  const malteseIds = pilots(7, 'mt').map((id) => `list-${id}`);

  beforeAll(async () => {
    for (const [index, id] of [...malteseIds].reverse().entries()) {
      await registry.register(
        bodyOf(id, {
          country: 'MT',
          languages: ['mt', 'en'],
          active: index !== 0,
          domains: index % 2 === 0 ? [{ kind: 'scientific', nabsChapter: '07' }] : [],
          supportAreas: ['investment-barriers'],
        }),
        'manager',
        meta(),
      );
    }
  });

  async function everyPage(query: { country?: MemberState; active?: boolean }, limit: number) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const found = await registry.list({ ...query, limit, ...(cursor ? { cursor } : {}) });
      const page = found.slice(0, limit).map((expert) => expert._id);
      pages.push(page);
      cursor = found.length > limit ? page.at(-1) : undefined;
    } while (cursor);
    return pages;
  }

  it('pages by id, every expert once, with a cursor that is the last id of the page', async () => {
    expect(await everyPage({ country: 'MT' }, 3)).toEqual([
      malteseIds.slice(0, 3),
      malteseIds.slice(3, 6),
      malteseIds.slice(6),
    ]);
  });

  it('filters by country, activity and domain', async () => {
    const active = (await registry.list({ country: 'MT', active: true, limit: 50 })).map((e) => e._id);
    expect(active).toEqual(malteseIds.slice(0, 6));
    const health = await registry.list({
      country: 'MT',
      domain: { kind: 'scientific', nabsChapter: '07' },
      limit: 50,
    });
    expect(health.map((e) => e._id)).toEqual([malteseIds[0], malteseIds[2], malteseIds[4], malteseIds[6]]);
    expect(
      await registry.list({ country: 'MT', domain: { kind: 'economic', naceSection: 'C' }, limit: 50 }),
    ).toEqual([]);
    const manufacturing = await registry.list({ domain: { kind: 'economic', naceSection: 'C' }, limit: 500 });
    expect(manufacturing.length).toBeGreaterThan(0);
    expect(
      manufacturing.every((e) => e.domains.some((d) => d.kind === 'economic' && d.naceSection === 'C')),
    ).toBe(true);
    expect(health.every((e) => !('outbox' in e))).toBe(true);
  });

  it('gives the pool every expert, inactive ones too, with its load, by id, and nothing of its outbox or seats', async () => {
    const id = await registered({ capacity: 2 });
    await registry.reserve(id, 'pool-pilot');
    const pool = await registry.pool();
    const ids = pool.map((expert) => expert.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain(malteseIds[6]);
    expect(ids).toContain(malteseIds[0]);
    expect(pool.find((expert) => expert.id === malteseIds[6])?.active).toBe(false);
    expect(pool.find((expert) => expert.id === id)).toEqual(
      expect.objectContaining({ id, load: 1, capacity: 2, version: 1 }),
    );
    expect(pool.every((expert) => !('outbox' in expert) && !('holds' in expert))).toBe(true);
  });
});

describe('reserving and releasing seats', () => {
  it('reserves once per pilot and releases once', async () => {
    const id = await registered({ capacity: 2 });
    expect(await registry.reserve(id, 'p1')).toBe('reserved');
    expect(await registry.reserve(id, 'p1')).toBe('already-held');
    expect(await workloadOf(id)).toEqual({ load: 1, holds: ['p1'] });
    expect(await registry.release(id, 'p1')).toBe('released');
    expect(await registry.release(id, 'p1')).toBe('not-held');
    expect(await workloadOf(id)).toEqual({ load: 0, holds: [] });
    expect(await registry.reserve('nobody', 'p1')).toBe('unknown');
    expect(await registry.release('nobody', 'p1')).toBe('not-held');
  });

  it('answers already-held before full: a retried reservation of a full expert is not refused', async () => {
    const id = await registered({ capacity: 1 });
    expect(await registry.reserve(id, 'p1')).toBe('reserved');
    expect(await registry.reserve(id, 'p2')).toBe('full');
    expect(await registry.reserve(id, 'p1')).toBe('already-held');
  });

  it('gives exactly 3 of 50 concurrent reservations for different pilots a seat of capacity 3', async () => {
    const id = await registered({ capacity: 3 });
    const outcomes = await Promise.all(pilots(50).map((pilot) => registry.reserve(id, pilot)));
    expect(countOf(outcomes, 'reserved')).toBe(3);
    expect(countOf(outcomes, 'full')).toBe(47);
    const { load, holds } = await workloadOf(id);
    expect(load).toBe(3);
    expect(new Set(holds).size).toBe(3);
  });

  it('never goes beyond any capacity with 10 experts and 50 pilots reserving at once, each twice', async () => {
    const experts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => registered({ capacity: (i % 4) + 1 })),
    );
    const requests = experts.flatMap((expert) =>
      pilots(50).flatMap((pilot) => [
        { expert, pilot },
        { expert, pilot },
      ]),
    );
    const outcomes = await Promise.all(
      requests.map(async ({ expert, pilot }) => ({ expert, outcome: await registry.reserve(expert, pilot) })),
    );
    for (const [i, expert] of experts.entries()) {
      const capacity = (i % 4) + 1;
      const mine = outcomes.filter((o) => o.expert === expert).map((o) => o.outcome);
      expect({ expert, reserved: countOf(mine, 'reserved') }).toEqual({ expert, reserved: capacity });
      const { load, holds } = await workloadOf(expert);
      expect({ expert, load, seats: new Set(holds).size }).toEqual({
        expert,
        load: capacity,
        seats: capacity,
      });
    }
  });

  it('releases concurrently and idempotently, and frees exactly the seats held', async () => {
    const id = await registered({ capacity: 4 });
    await Promise.all(pilots(4).map((pilot) => registry.reserve(id, pilot)));
    const releases = await Promise.all(
      [...pilots(4), ...pilots(4), 'never-held'].map((pilot) => registry.release(id, pilot)),
    );
    expect(releases.filter((r) => r === 'released')).toHaveLength(4);
    expect(await workloadOf(id)).toEqual({ load: 0, holds: [] });
  });

  it('holds reservations started after a capacity change to the new capacity', async () => {
    const id = await registered({ capacity: 4 });
    const before = Promise.all(pilots(2, 'before').map((pilot) => registry.reserve(id, pilot)));
    const lowered = registry.update(id, { capacity: 3 }, undefined, 'manager', meta());
    const after = Promise.all(pilots(30, 'after').map((pilot) => registry.reserve(id, pilot)));
    const [early, update, late] = await Promise.all([before, lowered, after]);
    expect(update.outcome).toBe('updated');
    expect(countOf(early, 'reserved')).toBe(2);
    // 2 seats taken before the change, so 1 more of the new capacity of 3.
    expect(countOf(late, 'reserved')).toBe(1);
    expect(await workloadOf(id)).toMatchObject({ load: 3 });
  });

  it('decides again when the capacity changes between its read and its write', async () => {
    const id = await registered({ capacity: 3 });
    await registry.reserve(id, 'p1');
    // Another writer (another instance, on MongoDB) lowers the capacity right after the read.
    let interfered = false;
    const racing = new Proxy(collection, {
      get(target, property, receiver) {
        if (property !== 'findOne') return Reflect.get(target, property, receiver) as unknown;
        return async (...args: Parameters<Collection<ExpertDocument>['findOne']>) => {
          const found = await target.findOne(...args);
          if (!interfered) {
            interfered = true;
            await target.updateOne({ _id: id }, { $set: { capacity: 1 } });
          }
          return found;
        };
      },
    });
    expect(await new ExpertRegistry(racing).reserve(id, 'p2')).toBe('full');
    expect(interfered).toBe(true);
    expect(await workloadOf(id)).toEqual({ load: 1, holds: ['p1'] });
  });
});
