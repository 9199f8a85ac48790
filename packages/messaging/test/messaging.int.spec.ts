import { randomUUID } from 'node:crypto';
import type { AnyEnvelope } from '@s3p/contracts';
import { isolation, stackEndpoints } from '@s3p/testkit';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Collection, Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import type { DeadLetter, OutboxDocument } from '../src';
import {
  createKafka,
  dlqTopicOf,
  DocumentWriteQueue,
  ensureTopics,
  EventConsumer,
  EventPublisher,
  OutboxRelay,
  ProcessedEvents,
  pushToOutbox,
  readDeadLetters,
  replayDeadLetters,
} from '../src';
import { callClosed } from './call-events';

const { KAFKA_BROKERS } = stackEndpoints();
const { topicPrefix, mongoUri, id } = isolation('messaging');
const topic = `${topicPrefix}calls.events`;

let kafka: Kafka;
let mongo: MongoClient;
let db: Db;
let publisher: EventPublisher;

interface CallDocument extends OutboxDocument {
  status: string;
}

/** Collects what reaches a topic, from the beginning, with a group of its own. */
/** Reads the topic until `count` messages (or, with `distinct`, messages of `count` event ids) came. */
async function collect(from: string, count: number, distinct = false): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `${topicPrefix}reader-${randomUUID()}` });
  const seen: KafkaMessage[] = [];
  const ids = new Set<string>();
  await consumer.connect();
  await consumer.subscribe({ topic: from, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${seen.length}/${count} messages on ${from}`)), 30_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message);
        if (distinct) ids.add(JSON.parse(message.value!.toString()).id);
        if ((distinct ? ids.size : seen.length) >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  kafka = createKafka({ brokers: KAFKA_BROKERS.split(','), clientId: `messaging-test-${id}` });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topic]);
  await admin.disconnect();
  publisher = new EventPublisher(kafka);
  await publisher.connect();
  mongo = await MongoClient.connect(mongoUri);
  db = mongo.db();
});

afterAll(async () => {
  await publisher?.disconnect();
  await db?.dropDatabase();
  await mongo?.close();
});

test('a state change and its event are one write; the relay publishes and clears it', async () => {
  const calls: Collection<CallDocument> = db.collection('calls');
  const event = callClosed('call-a');
  await calls.insertOne({ _id: 'call-a', status: 'open' });
  await calls.updateOne(
    { _id: 'call-a', status: 'open' },
    { $set: { status: 'closed' }, $push: pushToOutbox([event]) },
  );

  const relay = new OutboxRelay(calls, publisher, { topic });
  expect(await relay.relayOnce()).toBe(1);
  expect(await relay.relayOnce()).toBe(0);
  expect((await calls.findOne({ _id: 'call-a' }))?.outbox).toEqual([]);

  const [message] = await collect(topic, 1);
  expect(message?.key?.toString()).toBe('call-a');
  expect(JSON.parse(message!.value!.toString())).toEqual(event);
});

test('the running relay publishes new outbox events promptly and stops cleanly', async () => {
  const calls: Collection<CallDocument> = db.collection('calls-loop');
  const loopTopic = `${topicPrefix}loop`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [loopTopic]);
  await admin.disconnect();

  // Its idle pause outlasts collect()'s 30 s limit: only a working poke() gets the events out in time.
  const relay = new OutboxRelay(calls, publisher, { topic: loopTopic, idleMs: 60_000 });
  relay.start();
  const events = [callClosed('call-l1'), callClosed('call-l2')];
  await calls.insertOne({ _id: 'call-l1', status: 'closed', outbox: [events[0]!] });
  await calls.insertOne({ _id: 'call-l2', status: 'closed', outbox: [events[1]!] });
  // A writer pokes the relay instead of letting it sleep out its idle pause.
  relay.poke();
  const received = await collect(loopTopic, 2);
  await relay.stop();

  expect(received.map((m) => JSON.parse(m.value!.toString()).id).sort()).toEqual(
    events.map((e) => e.id).sort(),
  );
  expect(await calls.countDocuments({ 'outbox.0': { $exists: true } })).toBe(0);
});

test('a poked document is relayed at once by id; one no poke named waits for the next sweep', async () => {
  const calls: Collection<CallDocument> = db.collection('calls-named');
  const namedTopic = `${topicPrefix}named`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [namedTopic]);
  await admin.disconnect();
  const leftOver = callClosed('call-n0');
  await calls.insertOne({ _id: 'call-n0', status: 'closed', outbox: [leftOver] });

  const relay = new OutboxRelay(calls, publisher, { topic: namedTopic, idleMs: 60_000 });
  relay.start();
  // The first pass sweeps: what waited from before the start goes out.
  const [first] = await collect(namedTopic, 1);
  const named = callClosed('call-n1');
  const unnamed = callClosed('call-n2');
  await calls.insertOne({ _id: 'call-n2', status: 'closed', outbox: [unnamed] });
  await calls.insertOne({ _id: 'call-n1', status: 'closed', outbox: [named] });
  relay.poke('call-n1');
  const all = await collect(namedTopic, 2);
  await relay.stop();

  expect(JSON.parse(first!.value!.toString()).id).toBe(leftOver.id);
  expect(all.map((m) => JSON.parse(m.value!.toString()).id).sort()).toEqual([leftOver.id, named.id].sort());
  // The sweep is a minute away: the unnamed document's event still waits, and is not lost.
  expect((await calls.findOne({ _id: 'call-n2' }))?.outbox).toEqual([unnamed]);
  expect((await calls.findOne({ _id: 'call-n1' }))?.outbox).toEqual([]);
});

test("poked documents go out together, one subject's events in the order they were written", async () => {
  const events: Collection<CallDocument> = db.collection('call-events-ordered');
  const orderedTopic = `${topicPrefix}ordered`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [orderedTopic]);
  await admin.disconnect();

  // One document per event (as the lifecycle keeps a pilot's events), 250 of five subjects: more
  // than one batch of poked documents.
  const relay = new OutboxRelay(events, publisher, {
    topic: orderedTopic,
    idleMs: 60_000,
    deleteRelayed: true,
    batchSize: 100,
  });
  relay.start();
  const written = Array.from({ length: 250 }, (_, i) => callClosed(`call-o${i % 5}`));
  for (const event of written) {
    await events.insertOne({ _id: event.id, status: 'closed', outbox: [event] });
    relay.poke(event.id);
  }
  const received = await collect(orderedTopic, written.length);
  await until(async () => (await events.countDocuments({})) === 0, 'every relayed document deleted');
  await relay.stop();

  const order = (list: AnyEnvelope[]) =>
    [0, 1, 2, 3, 4].map((n) => list.filter((e) => e.subject === `call-o${n}`).map((e) => e.id));
  expect(order(received.map((m) => JSON.parse(m.value!.toString()) as AnyEnvelope))).toEqual(order(written));
});

test('state writes racing the relay lose nothing when both wait in the document write queue', async () => {
  const calls: Collection<CallDocument & { amendments: number }> = db.collection('calls-race');
  const raceTopic = `${topicPrefix}race`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [raceTopic]);
  await admin.disconnect();
  await calls.insertOne({ _id: 'call-r', status: 'open', amendments: 0 });

  const writeQueue = new DocumentWriteQueue();
  const relay = new OutboxRelay(calls, publisher, { topic: raceTopic, idleMs: 10, writeQueue });
  relay.start();
  const writes = 40;
  const events = Array.from({ length: writes }, () => callClosed('call-r'));
  await Promise.all(
    events.map((event) =>
      writeQueue.run('call-r', async () => {
        await calls.updateOne({ _id: 'call-r' }, { $inc: { amendments: 1 }, $push: pushToOutbox([event]) });
        relay.poke();
      }),
    ),
  );
  const received = await collect(raceTopic, writes);
  await relay.stop();

  expect((await calls.findOne({ _id: 'call-r' }))?.amendments).toBe(writes);
  expect(new Set(received.map((m) => JSON.parse(m.value!.toString()).id))).toEqual(
    new Set(events.map((e) => e.id)),
  );
  expect((await calls.findOne({ _id: 'call-r' }))?.outbox).toEqual([]);
});

test('events kept one document each are relayed by two processes without loss, and deleted once sent', async () => {
  const events: Collection<CallDocument> = db.collection('call-events');
  const pairTopic = `${topicPrefix}pair`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [pairTopic]);
  await admin.disconnect();

  // Two instances of a service: a relay each, no queue in common, writers in both.
  const relays = [0, 1].map(
    () => new OutboxRelay(events, publisher, { topic: pairTopic, idleMs: 10, deleteRelayed: true }),
  );
  for (const relay of relays) relay.start();
  const written = Array.from({ length: 40 }, (_, i) => callClosed(`call-p${i % 4}`));
  await Promise.all(
    written.map(async (event, i) => {
      await events.insertOne({ _id: event.id, status: 'closed', outbox: [event] });
      relays[i % 2]!.poke(event.id);
    }),
  );
  const received = await collect(pairTopic, written.length, true);
  await until(async () => (await events.countDocuments({})) === 0, 'every relayed document deleted');
  await Promise.all(relays.map((relay) => relay.stop()));

  // At least once: a document both relays read may go out twice, none is missing.
  expect(new Set(received.map((m) => JSON.parse(m.value!.toString()).id))).toEqual(
    new Set(written.map((e) => e.id)),
  );
});

test('a crash between publish and clear publishes again, and the consumer applies it once', async () => {
  const calls: Collection<CallDocument> = db.collection('calls-crash');
  const event = callClosed('call-b');
  await calls.insertOne({ _id: 'call-b', status: 'closed', outbox: [event] });

  // The relay's process dies after Kafka acknowledged the events and before the outbox is cleared.
  const crashing = new Proxy(calls, {
    get: (target, property) =>
      property === 'updateOne'
        ? () => Promise.reject(new Error('process killed'))
        : Reflect.get(target, property, target),
  });
  await expect(new OutboxRelay(crashing, publisher, { topic }).relayOnce()).rejects.toThrow('process killed');
  expect((await calls.findOne({ _id: 'call-b' }))?.outbox).toHaveLength(1);

  // The restarted relay sends it again.
  expect(await new OutboxRelay(calls, publisher, { topic }).relayOnce()).toBe(1);
  expect((await calls.findOne({ _id: 'call-b' }))?.outbox).toEqual([]);

  const applied: string[] = [];
  const consumer = new EventConsumer(kafka, {
    groupId: `${topicPrefix}projection`,
    topics: [topic],
    processed: new ProcessedEvents(db.collection('processed_events')),
    handle: async (e) => {
      applied.push(e.id);
    },
  });
  await consumer.start();
  try {
    const onWire = (await collect(topic, 3)).map((m) => JSON.parse(m.value!.toString()).id);
    expect(onWire.filter((eventId) => eventId === event.id)).toHaveLength(2);
    await until(() => applied.includes(event.id), 'the event to be applied');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(applied.filter((eventId) => eventId === event.id)).toEqual([event.id]);
  } finally {
    await consumer.stop();
  }
});

test('events the group does not act on are passed over without bookkeeping; the others are handled once', async () => {
  const passTopic = `${topicPrefix}passed-over`;
  const groupId = `${topicPrefix}selective`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [passTopic], 1);
  await admin.disconnect();
  const ignored = callClosed('call-elsewhere');
  const acted = callClosed('call-mine');
  await publisher.publish(passTopic, [ignored, acted, acted]);

  const processed: Collection<{ _id: string; processedAt: Date }> = db.collection('processed_selective');
  const handled: string[] = [];
  const consumer = new EventConsumer(kafka, {
    groupId,
    topics: [passTopic],
    processed: new ProcessedEvents(processed),
    actsOn: (e) => e.subject === 'call-mine',
    handle: async (e) => {
      handled.push(e.id);
    },
  });
  await consumer.start();
  try {
    await until(async () => (await processed.countDocuments()) === 1, 'the acted-on event marked');
    await new Promise((r) => setTimeout(r, 1_000));
  } finally {
    await consumer.stop();
  }
  expect(handled).toEqual([acted.id]);
  expect((await processed.find().toArray()).map((mark) => mark._id)).toEqual([`${groupId}:${acted.id}`]);
});

test("with a concurrency, several subjects' events are handled at once, each subject's in order, each once", async () => {
  const keyedTopic = `${topicPrefix}keyed`;
  const groupId = `${topicPrefix}keyed-group`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [keyedTopic], 1);
  await admin.disconnect();
  const subjects = ['call-1', 'call-2', 'call-3', 'call-4', 'call-5', 'call-6'];
  const published = new Map<string, string[]>(subjects.map((subject) => [subject, []]));
  const events: AnyEnvelope[] = [];
  for (let round = 0; round < 5; round++) {
    for (const subject of subjects) {
      const event = callClosed(subject);
      published.get(subject)!.push(event.id);
      events.push(event);
    }
  }
  await publisher.publish(keyedTopic, events);

  const processed: Collection<{ _id: string; processedAt: Date }> = db.collection('processed_keyed');
  const handled = new Map<string, string[]>(subjects.map((subject) => [subject, []]));
  let inFlight = 0;
  let peak = 0;
  const consumer = new EventConsumer(kafka, {
    groupId,
    topics: [keyedTopic],
    processed: new ProcessedEvents(processed),
    concurrency: 4,
    handle: async (e) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 40));
      handled.get(e.subject)!.push(e.id);
      inFlight -= 1;
    },
  });
  await consumer.start();
  try {
    await until(async () => (await processed.countDocuments()) === events.length, 'every event marked');
  } finally {
    await consumer.stop();
  }
  expect(handled).toEqual(published);
  expect(peak).toBeGreaterThan(1);
  expect(peak).toBeLessThanOrEqual(4);
  const committed = await (async () => {
    const offsets = kafka.admin();
    await offsets.connect();
    try {
      return await offsets.fetchOffsets({ groupId, topics: [keyedTopic] });
    } finally {
      await offsets.disconnect();
    }
  })();
  expect(committed[0]!.partitions[0]!.offset).toBe(String(events.length));
});

test('with a batch handler, events come in chunks in their order; a failed chunk goes one by one, the invalid to the DLQ', async () => {
  const chunkTopic = `${topicPrefix}chunked`;
  const groupId = `${topicPrefix}chunked-group`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [chunkTopic], 1);
  await admin.disconnect();
  const events = Array.from({ length: 12 }, (_, n) => callClosed(`call-${n % 3}`));
  const refusedOnce = events[7]!;
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic: chunkTopic,
    messages: [
      ...events.slice(0, 5).map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
      { key: 'x', value: 'this is not json' },
      ...events.slice(5).map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    ],
  });
  await producer.disconnect();

  const processed: Collection<{ _id: string; processedAt: Date }> = db.collection('processed_chunked');
  const chunks: string[][] = [];
  const oneByOne: string[] = [];
  const consumer = new EventConsumer(kafka, {
    groupId,
    topics: [chunkTopic],
    processed: new ProcessedEvents(processed),
    manyAtOnce: 4,
    handleMany: async (taken) => {
      chunks.push(taken.map((e) => e.id));
      if (taken.some((e) => e.id === refusedOnce.id) && chunks.length <= 3) {
        throw new Error('the store refused the chunk');
      }
    },
    handle: async (e) => {
      oneByOne.push(e.id);
    },
  });
  await consumer.start();
  try {
    await until(() => chunks.flat().includes(events[11]!.id), 'the last chunk');
    await until(async () => {
      const offsets = kafka.admin();
      await offsets.connect();
      try {
        const [committed] = await offsets.fetchOffsets({ groupId, topics: [chunkTopic] });
        return committed!.partitions[0]!.offset === String(events.length + 1);
      } finally {
        await offsets.disconnect();
      }
    }, 'every offset committed');
  } finally {
    await consumer.stop();
  }
  const ids = events.map((e) => e.id);
  // Messages 0-3, then 4 and the invalid one (to the DLQ) and 5-6, then 7-10 (refused: one by one), then 11.
  expect(chunks).toEqual([ids.slice(0, 4), ids.slice(4, 7), ids.slice(7, 11), ids.slice(11)]);
  expect(oneByOne).toEqual(ids.slice(7, 11));
  // Marks are kept for the events handled one by one only.
  expect((await processed.find().toArray()).map((mark) => mark._id).sort()).toEqual(
    ids
      .slice(7, 11)
      .map((eventId) => `${groupId}:${eventId}`)
      .sort(),
  );
  const [letter] = await collect(dlqTopicOf(chunkTopic, groupId), 1);
  expect(letter!.value!.toString()).toBe('this is not json');
});

test('a message handled for long is logged with where it stands until its handler returns', async () => {
  const slowTopic = `${topicPrefix}slow`;
  const groupId = `${topicPrefix}slow-group`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [slowTopic], 1);
  await admin.disconnect();
  const event = callClosed('call-slow');
  await publisher.publish(slowTopic, [event]);

  const log: Record<string, unknown>[] = [];
  let handled = false;
  const consumer = new EventConsumer(kafka, {
    groupId,
    topics: [slowTopic],
    processed: new ProcessedEvents(db.collection('processed_slow')),
    slowAfterMs: 200,
    log: (entry) => log.push(entry),
    handle: async () => {
      await new Promise((r) => setTimeout(r, 700));
      handled = true;
    },
  });
  await consumer.start();
  try {
    await until(() => handled, 'the slow handler done');
    const whileSlow = log.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(log).toHaveLength(whileSlow);
  } finally {
    await consumer.stop();
  }
  const slow = log.filter((entry) => entry.msg === 'a message is still being handled');
  expect(slow.length).toBeGreaterThanOrEqual(2);
  expect(slow[0]).toMatchObject({ groupId, topic: slowTopic, partition: 0, offset: '0', eventId: event.id });
});

test('poison messages go to the DLQ with the reason, and the consumer moves on', async () => {
  const poisonTopic = `${topicPrefix}poison`;
  const groupId = `${topicPrefix}poisoned`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [poisonTopic], 1);
  await admin.disconnect();

  const failing = callClosed('call-fails');
  const good = callClosed('call-good');
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic: poisonTopic,
    messages: [
      { key: 'x', value: 'this is not json' },
      { key: 'y', value: JSON.stringify({ ...callClosed('call-y'), data: { callId: 'call-y' } }) },
      { key: 'call-fails', value: JSON.stringify(failing) },
      { key: 'call-good', value: JSON.stringify(good) },
    ],
  });
  await producer.disconnect();

  const handled: string[] = [];
  let failures = 0;
  const consumer = new EventConsumer(kafka, {
    groupId,
    topics: [poisonTopic],
    processed: new ProcessedEvents(db.collection('processed_events')),
    maxAttempts: 3,
    backoffMs: 10,
    handle: async (e) => {
      if (e.id === failing.id) {
        failures++;
        throw new Error('projection store refused the write');
      }
      handled.push(e.id);
    },
  });
  await consumer.start();
  try {
    await until(() => handled.includes(good.id), 'the good event after the poison ones');
    expect(failures).toBe(3);
  } finally {
    await consumer.stop();
  }

  const letters = (await collect(dlqTopicOf(poisonTopic, groupId), 3)).map(
    (m) => JSON.parse(m.headers!['dead-letter']!.toString()) as DeadLetter,
  );
  expect(letters.map((l) => [l.offset, l.attempts])).toEqual([
    ['0', 0],
    ['1', 0],
    ['2', 3],
  ]);
  expect(letters[0]!.error).toBe('not JSON');
  expect(letters[1]!.error).toContain('invalid call.closed@1');
  expect(letters[2]!.error).toBe('projection store refused the write');
  expect(letters.every((l) => l.topic === poisonTopic && l.groupId === groupId)).toBe(true);

  // Once the cause is fixed, the dead letter is replayed to its topic and handled, once.
  const stored = await readDeadLetters(kafka, dlqTopicOf(poisonTopic, groupId));
  expect(stored.map((l) => l.dlqOffset)).toEqual(['0', '1', '2']);
  expect(
    await replayDeadLetters(
      kafka,
      stored.filter((l) => l.letter.attempts > 0),
    ),
  ).toBe(1);
  const fixed = new EventConsumer(kafka, {
    groupId,
    topics: [poisonTopic],
    processed: new ProcessedEvents(db.collection('processed_events')),
    handle: async (e) => {
      handled.push(e.id);
    },
  });
  await fixed.start();
  try {
    await until(() => handled.includes(failing.id), 'the replayed event');
  } finally {
    await fixed.stop();
  }
  expect(handled).toEqual([good.id, failing.id]);
});
