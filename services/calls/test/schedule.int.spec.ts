import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { MongoClient } from 'mongodb';
import { createScheduleActivities } from '../src/activities/schedule';
import type { CallDocument } from '../src/store/call-store';
import { CallStore } from '../src/store/call-store';
import { viewQuery } from '../src/workflows/messages';
import type { Caller, TestCalls, Wire } from './support';
import { callDraft, eventually, inSeconds, startTestCalls } from './support';

let calls: TestCalls;
let wire: Wire;
let manager: Caller;

type Call = {
  id: string;
  status: string;
  version: number;
  opensAt: string;
  closesAt: string;
  openedAt?: string;
  closedAt?: string;
  closeReason?: string;
};

beforeAll(async () => {
  calls = await startTestCalls('calls-schedule');
  wire = await calls.tap();
  manager = await calls.as('manager', ['programme-manager']);
});

afterAll(async () => {
  await calls?.stop();
});

async function publish(overrides: Record<string, unknown>): Promise<Call> {
  const created = await manager<Call>('POST', '/api/calls', callDraft(overrides));
  expect(created.status).toBe(201);
  const published = await manager<Call>('POST', `/api/calls/${created.body.id}/publish`);
  expect(published.status).toBe(200);
  return published.body;
}

const read = async (id: string) => (await manager<Call>('GET', `/api/calls/${id}`)).body;

/** The call once it reached that status, polled over HTTP. */
const reaches = (id: string, status: string, timeoutMs = 10_000) =>
  eventually(
    async () => {
      const call = await read(id);
      return call.status === status && call;
    },
    `call ${id} to be ${status}`,
    timeoutMs,
  );

describe("a call's dates, kept by its workflow", () => {
  it('opens by itself at opensAt and closes by itself at closesAt', async () => {
    const call = await publish({ opensAt: inSeconds(2), closesAt: inSeconds(5) });
    expect(call.status).toBe('scheduled');
    const handle = calls.temporal.workflow.getHandle(`call-${call.id}`);
    expect(await handle.query(viewQuery)).toMatchObject({
      callId: call.id,
      status: 'scheduled',
      opensAt: call.opensAt,
      closesAt: call.closesAt,
    });

    const opened = await reaches(call.id, 'open');
    expect(Date.parse(opened.openedAt!)).toBeGreaterThanOrEqual(Date.parse(call.opensAt));
    expect(await handle.query(viewQuery)).toMatchObject({ status: 'open' });

    const closed = await reaches(call.id, 'closed');
    expect(closed.closeReason).toBe('deadline');
    expect(Date.parse(closed.closedAt!)).toBeGreaterThanOrEqual(Date.parse(call.closesAt));
    expect(await handle.result()).toMatchObject({ status: 'closed' });

    const events = await eventually(
      () => Promise.resolve(wire.of(call.id).length >= 3 && wire.of(call.id)),
      'the call events',
    );
    expect(events.map((e) => e.type)).toEqual(['call.published', 'call.opened', 'call.closed']);
    expect(events[1]!.actor).toEqual({ kind: 'system', name: 'call-schedule' });
    expect(events[2]!.data).toMatchObject({ callId: call.id, reason: 'deadline' });
    // The timers' events continue the publication's trail.
    expect(new Set(events.map((e) => e.correlationId)).size).toBe(1);
    expect(wire.invalid).toEqual([]);
  });

  it('stays open past the old deadline when closesAt is extended, and closes at the new one', async () => {
    const call = await publish({ closesAt: inSeconds(3) });
    expect(call.status).toBe('open');
    const newDeadline = inSeconds(6);
    const amended = await manager<Call>('PATCH', `/api/calls/${call.id}`, { closesAt: newDeadline });
    expect(amended.status).toBe(200);
    const handle = calls.temporal.workflow.getHandle(`call-${call.id}`);
    expect(await handle.query(viewQuery)).toMatchObject({ status: 'open', closesAt: newDeadline });

    await new Promise((resolve) => setTimeout(resolve, Date.parse(call.closesAt) + 1_500 - Date.now()));
    expect((await read(call.id)).status).toBe('open');

    const closed = await reaches(call.id, 'closed');
    expect(Date.parse(closed.closedAt!)).toBeGreaterThanOrEqual(Date.parse(newDeadline));
    expect(closed.closeReason).toBe('deadline');
    await closedOnTheWire(call.id);
  });

  it('closes at the new time when closesAt is brought forward', async () => {
    const call = await publish({ closesAt: inSeconds(120) });
    const newDeadline = inSeconds(2);
    await manager('PATCH', `/api/calls/${call.id}`, { closesAt: newDeadline });
    const closed = await reaches(call.id, 'closed', 6_000);
    expect(Date.parse(closed.closedAt!)).toBeGreaterThanOrEqual(Date.parse(newDeadline));
    expect(Date.parse(closed.closedAt!)).toBeLessThan(Date.parse(newDeadline) + 3_000);
  });

  it('opens later when a scheduled call moves its opening date', async () => {
    // Margins of seconds, so that a loaded machine still amends before the first date comes.
    const call = await publish({ opensAt: inSeconds(5), closesAt: inSeconds(60) });
    const newOpening = inSeconds(9);
    await manager('PATCH', `/api/calls/${call.id}`, { opensAt: newOpening });
    await new Promise((resolve) => setTimeout(resolve, Date.parse(call.opensAt) + 1_000 - Date.now()));
    expect((await read(call.id)).status).toBe('scheduled');
    const opened = await reaches(call.id, 'open');
    expect(Date.parse(opened.openedAt!)).toBeGreaterThanOrEqual(Date.parse(newOpening));
  });

  it('heals a reschedule it never heard of: the timer reads the call before it acts', async () => {
    const call = await publish({ closesAt: inSeconds(6) });
    const newDeadline = inSeconds(10);
    // An amendment whose signal was lost (a crash between the write and the signal). Written once
    // the relay has cleared the publication's event: FerretDB 1.x applies an update as a read then
    // a replace, so a write from outside the service racing the relay's clear could be lost.
    await underTheService(async (collection) => {
      await outboxRelayed(collection, call.id);
      await collection.updateOne({ _id: call.id }, { $set: { closesAt: newDeadline }, $inc: { version: 1 } });
    });
    expect(Date.now()).toBeLessThan(Date.parse(call.closesAt));
    await new Promise((resolve) => setTimeout(resolve, Date.parse(call.closesAt) + 1_000 - Date.now()));
    expect((await read(call.id)).status).toBe('open');
    const closed = await reaches(call.id, 'closed');
    expect(Date.parse(closed.closedAt!)).toBeGreaterThanOrEqual(Date.parse(newDeadline));
  });

  it('changes nothing twice when a timer activity is delivered again', async () => {
    const call = await publish({ closesAt: inSeconds(1) });
    const closed = await reaches(call.id, 'closed');
    await closedOnTheWire(call.id);
    await underTheService(async (collection) => {
      // Published and cleared: anything in the outbox from here on would be a second event.
      await outboxRelayed(collection, call.id);
      let pokes = 0;
      const activities = createScheduleActivities({ store: new CallStore(collection), poke: () => pokes++ });
      expect(await activities.closeCall(call.id, randomUUID())).toMatchObject({
        status: 'closed',
        version: closed.version,
      });
      expect(await activities.openCall(call.id, randomUUID())).toMatchObject({
        status: 'closed',
        version: closed.version,
      });
      expect(pokes).toBe(0);
      expect((await collection.findOne({ _id: call.id }))?.outbox ?? []).toEqual([]);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(wire.of(call.id).filter((e) => e.type === 'call.closed')).toHaveLength(1);
  });
});

/** Waits for the call's one `call.closed` event, and checks there is no second. */
async function closedOnTheWire(id: string): Promise<void> {
  const closed = () => wire.of(id).filter((e) => e.type === 'call.closed');
  await eventually(() => Promise.resolve(closed().length > 0), 'call.closed on the wire');
  expect(closed()).toHaveLength(1);
}

/** Waits until the relay has published and cleared the call's outbox. */
async function outboxRelayed(collection: Collection<CallDocument>, id: string): Promise<void> {
  await eventually(
    async () => ((await collection.findOne({ _id: id }))?.outbox ?? []).length === 0,
    'the outbox to be relayed',
  );
}

async function underTheService(work: (collection: Collection<CallDocument>) => Promise<void>) {
  const mongo = await MongoClient.connect(calls.mongoUri);
  try {
    await work(mongo.db().collection<CallDocument>('calls'));
  } finally {
    await mongo.close();
  }
}
