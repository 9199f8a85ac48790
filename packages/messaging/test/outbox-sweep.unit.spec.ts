import type { Collection } from 'mongodb';
import type { OutboxDocument } from '../src/outbox';
import { OutboxRelay } from '../src/outbox';
import type { EventPublisher } from '../src/publisher';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A collection whose sweep finds nothing pending and takes `sweepMs`; it counts the sweeps. */
function collectionSweepingIn(sweepMs: number) {
  const counted = { sweeps: 0 };
  const collection = {
    find: () => ({
      limit: () => ({
        toArray: async () => {
          counted.sweeps++;
          await sleep(sweepMs);
          return [];
        },
      }),
    }),
  } as unknown as Collection<OutboxDocument>;
  return { collection, counted };
}

async function sweepsWithin(ms: number, sweepMs: number, idleMs: number): Promise<number> {
  const { collection, counted } = collectionSweepingIn(sweepMs);
  const relay = new OutboxRelay(collection, {} as EventPublisher, { topic: 'sweeps', idleMs });
  relay.start();
  await sleep(ms);
  await relay.stop();
  return counted.sweeps;
}

describe('how often the outbox relay sweeps its whole collection', () => {
  it('sweeps every idleMs while a sweep is cheap', async () => {
    expect(await sweepsWithin(1_000, 0, 100)).toBeGreaterThanOrEqual(5);
  });

  it('waits nineteen times as long as a slow sweep took before the next one', async () => {
    // A 100 ms sweep with idleMs 10 would run about ten times a second; the next is 1.9 s away.
    expect(await sweepsWithin(1_200, 100, 10)).toBe(1);
  });
});
