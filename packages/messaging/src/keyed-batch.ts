import type { EachBatchPayload, KafkaMessage } from 'kafkajs';

/** How many messages of a batch are under way at once. */
class HandlingSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

export type KeyedBatch = Pick<
  EachBatchPayload,
  'batch' | 'resolveOffset' | 'heartbeat' | 'commitOffsetsIfNecessary' | 'isRunning' | 'isStale'
>;

/**
 * Handles one partition's batch up to `concurrency` messages at a time, but never two of one key: a key is one
 * aggregate (the publisher keys each event by its subject), whose events keep their order. Offsets
 * are resolved in the partition's order, up to the first message not yet handled, so that a
 * failure, a rebalance or a crash redelivers from there (at least once: the consumer drops by
 * event id what it had already handled). No new message starts once the consumer stops or the
 * partition is sought elsewhere; the first failure stops the batch and is thrown once the messages
 * under way have finished.
 */
export async function handleBatchByKey(
  payload: KeyedBatch,
  concurrency: number,
  handle: (message: KafkaMessage) => Promise<void>,
): Promise<void> {
  const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
  const messages = batch.messages;
  const slots = new HandlingSlots(Math.max(1, concurrency));
  const handled = new Array<boolean>(messages.length).fill(false);
  let resolvedUpTo = 0;
  let failure: { error: unknown } | undefined;
  const lastOfKey = new Map<string, Promise<void>>();
  const underWay = new Set<Promise<void>>();

  const settle = async (position: number) => {
    handled[position] = true;
    let advanced = false;
    while (resolvedUpTo < messages.length && handled[resolvedUpTo]) {
      resolveOffset(messages[resolvedUpTo]!.offset);
      resolvedUpTo += 1;
      advanced = true;
    }
    if (advanced) {
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  };

  const goingOn = () => !failure && isRunning() && !isStale();
  for (const [position, message] of messages.entries()) {
    if (!goingOn()) break;
    await slots.acquire();
    if (!goingOn()) {
      slots.release();
      break;
    }
    const key = message.key?.toString('base64') ?? '';
    const task = (lastOfKey.get(key) ?? Promise.resolve())
      .then(async () => {
        if (failure) return;
        await handle(message);
        await settle(position);
      })
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        slots.release();
        underWay.delete(task);
      });
    lastOfKey.set(key, task);
    underWay.add(task);
  }
  await Promise.all(underWay);
  if (failure) throw failure.error;
}

/**
 * Hands one partition's batch over in chunks of up to `size` messages, in the partition's order,
 * for handlers that gather a chunk's writes into a few commands. A chunk's offsets are resolved
 * once it is handled, then committed when due; no chunk starts once the consumer stops or the
 * partition is sought elsewhere, and a failure stops the batch (redelivered from that chunk).
 */
export async function handleBatchInChunks(
  payload: KeyedBatch,
  size: number,
  handle: (messages: KafkaMessage[]) => Promise<void>,
): Promise<void> {
  const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
  const step = Math.max(1, size);
  for (let start = 0; start < batch.messages.length; start += step) {
    if (!isRunning() || isStale()) return;
    const chunk = batch.messages.slice(start, start + step);
    await handle(chunk);
    resolveOffset(chunk[chunk.length - 1]!.offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  }
}
