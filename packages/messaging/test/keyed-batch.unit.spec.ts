import type { KafkaMessage } from 'kafkajs';
import type { KeyedBatch } from '../src/keyed-batch';
import { handleBatchByKey, handleBatchInChunks } from '../src/keyed-batch';

/** A message of a given key at a given offset (the value names it, for the assertions). */
const message = (offset: number, key: string | null): KafkaMessage => ({
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(`${key}@${offset}`),
  offset: String(offset),
  timestamp: '0',
  attributes: 0,
  headers: {},
});

interface FakeBatch extends KeyedBatch {
  resolved: string[];
  running: boolean;
}

function batchOf(messages: KafkaMessage[]): FakeBatch {
  const fake: FakeBatch = {
    resolved: [],
    running: true,
    batch: { topic: 't', partition: 0, messages } as unknown as KeyedBatch['batch'],
    resolveOffset: (offset: string) => {
      fake.resolved.push(offset);
    },
    heartbeat: async () => undefined,
    commitOffsetsIfNecessary: async () => undefined,
    isRunning: () => fake.running,
    isStale: () => false,
  };
  return fake;
}

/** A handler whose calls finish when the test says so, recording what started and in which order. */
function controlledHandler() {
  const started: string[] = [];
  const finished: string[] = [];
  const gates = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  let inFlight = 0;
  let peak = 0;
  const handle = (m: KafkaMessage) =>
    new Promise<void>((resolve, reject) => {
      const name = m.value!.toString();
      started.push(name);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      gates.set(name, {
        resolve: () => {
          inFlight -= 1;
          finished.push(name);
          resolve();
        },
        reject: (error) => {
          inFlight -= 1;
          reject(error);
        },
      });
    });
  const settled = () => new Promise((r) => setImmediate(r));
  return {
    handle,
    started,
    finished,
    peak: () => peak,
    async finish(name: string) {
      const gate = gates.get(name);
      if (!gate) throw new Error(`${name} has not started (started: ${started.join(', ')})`);
      gate.resolve();
      await settled();
    },
    async fail(name: string, error: Error) {
      gates.get(name)!.reject(error);
      await settled();
    },
    settled,
  };
}

describe('handling a batch by key', () => {
  it('handles messages of different keys at once, up to the concurrency', async () => {
    const batch = batchOf([message(0, 'a'), message(1, 'b'), message(2, 'c'), message(3, 'd')]);
    const handler = controlledHandler();
    const done = handleBatchByKey(batch, 2, handler.handle);
    await handler.settled();
    expect(handler.started).toEqual(['a@0', 'b@1']);
    await handler.finish('b@1');
    expect(handler.started).toEqual(['a@0', 'b@1', 'c@2']);
    await handler.finish('a@0');
    await handler.finish('c@2');
    await handler.finish('d@3');
    await done;
    expect(handler.peak()).toBe(2);
    expect(batch.resolved).toEqual(['0', '1', '2', '3']);
  });

  it("handles one key's messages one after another, in the partition's order", async () => {
    const batch = batchOf([message(0, 'a'), message(1, 'a'), message(2, 'b'), message(3, 'a')]);
    const handler = controlledHandler();
    const done = handleBatchByKey(batch, 8, handler.handle);
    await handler.settled();
    expect(handler.started).toEqual(['a@0', 'b@2']);
    await handler.finish('a@0');
    expect(handler.started).toEqual(['a@0', 'b@2', 'a@1']);
    await handler.finish('a@1');
    await handler.finish('a@3');
    await handler.finish('b@2');
    await done;
    expect(handler.finished).toEqual(['a@0', 'a@1', 'a@3', 'b@2']);
  });

  it('treats messages without a key as one key', async () => {
    const batch = batchOf([message(0, null), message(1, null)]);
    const handler = controlledHandler();
    const done = handleBatchByKey(batch, 4, handler.handle);
    await handler.settled();
    expect(handler.started).toEqual(['null@0']);
    await handler.finish('null@0');
    await handler.finish('null@1');
    await done;
  });

  it('resolves offsets only up to the first message not yet handled', async () => {
    const batch = batchOf([message(0, 'a'), message(1, 'b'), message(2, 'c')]);
    const handler = controlledHandler();
    const done = handleBatchByKey(batch, 3, handler.handle);
    await handler.settled();
    await handler.finish('b@1');
    await handler.finish('c@2');
    expect(batch.resolved).toEqual([]);
    await handler.finish('a@0');
    await done;
    expect(batch.resolved).toEqual(['0', '1', '2']);
  });

  it('with a concurrency of 1, handles the batch strictly in order', async () => {
    const batch = batchOf([message(0, 'a'), message(1, 'b'), message(2, 'a')]);
    const handler = controlledHandler();
    const done = handleBatchByKey(batch, 1, handler.handle);
    for (const name of ['a@0', 'b@1', 'a@2']) {
      await handler.settled();
      expect(handler.started.at(-1)).toBe(name);
      await handler.finish(name);
    }
    await done;
    expect(handler.peak()).toBe(1);
    expect(batch.resolved).toEqual(['0', '1', '2']);
  });

  it('after a failure starts nothing more, lets the messages under way finish, and throws it', async () => {
    const batch = batchOf([
      message(0, 'a'),
      message(1, 'b'),
      message(2, 'a'),
      message(3, 'c'),
      message(4, 'd'),
    ]);
    const handler = controlledHandler();
    const done = handleBatchByKey(batch, 2, handler.handle);
    const outcome = done.then(
      () => undefined,
      (error: Error) => error,
    );
    await handler.settled();
    expect(handler.started).toEqual(['a@0', 'b@1']);
    await handler.fail('a@0', new Error('database down'));
    // b@1 is still under way; a@2 (after the failed a@0) never starts, nor does anything later.
    await handler.finish('b@1');
    const error = await outcome;
    expect(error).toEqual(new Error('database down'));
    expect(handler.started).toEqual(['a@0', 'b@1']);
    // Offset 0 failed: nothing may be resolved, or b@1's commit would skip it.
    expect(batch.resolved).toEqual([]);
  });

  it('starts nothing more once the consumer stops, and resolves what was handled', async () => {
    const batch = batchOf([message(0, 'a'), message(1, 'b'), message(2, 'c')]);
    const handler = controlledHandler();
    const done = handleBatchByKey(batch, 1, handler.handle);
    await handler.settled();
    batch.running = false;
    await handler.finish('a@0');
    await done;
    expect(handler.started).toEqual(['a@0']);
    expect(batch.resolved).toEqual(['0']);
  });

  it('passes a failed heartbeat (a rebalance) on as the batch failure', async () => {
    const batch = batchOf([message(0, 'a'), message(1, 'b')]);
    const rebalancing = new Error('The group is rebalancing');
    batch.heartbeat = async () => {
      throw rebalancing;
    };
    const handler = controlledHandler();
    const outcome = handleBatchByKey(batch, 1, handler.handle).then(
      () => undefined,
      (error: Error) => error,
    );
    await handler.settled();
    await handler.finish('a@0');
    expect(await outcome).toBe(rebalancing);
    expect(handler.started).toEqual(['a@0']);
    expect(batch.resolved).toEqual(['0']);
  });
});

describe('handling a batch in chunks', () => {
  const names = (messages: KafkaMessage[]) => messages.map((m) => m.value!.toString());

  it("hands the partition's messages over in order, a chunk at a time, resolving each chunk's last offset", async () => {
    const batch = batchOf([0, 1, 2, 3, 4].map((offset) => message(offset, offset % 2 ? 'a' : 'b')));
    const chunks: string[][] = [];
    const resolvedBefore: string[][] = [];
    await handleBatchInChunks(batch, 2, async (messages) => {
      chunks.push(names(messages));
      resolvedBefore.push([...batch.resolved]);
    });
    expect(chunks).toEqual([['b@0', 'a@1'], ['b@2', 'a@3'], ['b@4']]);
    expect(resolvedBefore).toEqual([[], ['1'], ['1', '3']]);
    expect(batch.resolved).toEqual(['1', '3', '4']);
  });

  it('stops at a failed chunk without resolving it, and throws its failure', async () => {
    const batch = batchOf([0, 1, 2, 3].map((offset) => message(offset, 'a')));
    const refused = new Error('database down');
    const chunks: string[][] = [];
    const outcome = handleBatchInChunks(batch, 2, async (messages) => {
      chunks.push(names(messages));
      if (chunks.length === 2) throw refused;
    }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(await outcome).toBe(refused);
    expect(batch.resolved).toEqual(['1']);
  });

  it('starts no chunk once the consumer stops', async () => {
    const batch = batchOf([0, 1, 2, 3].map((offset) => message(offset, 'a')));
    const chunks: string[][] = [];
    await handleBatchInChunks(batch, 2, async (messages) => {
      chunks.push(names(messages));
      batch.running = false;
    });
    expect(chunks).toEqual([['a@0', 'a@1']]);
    expect(batch.resolved).toEqual(['1']);
  });
});
