import type { AnyEnvelope } from '@s3p/contracts';
import { validateEvent } from '@s3p/contracts';
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { inBatchConsumerSpan, inConsumerSpan, withEventCorrelation } from './event-tracing';
import { dlqTopicOf, ensureTopics } from './kafka';
import { handleBatchByKey, handleBatchInChunks } from './keyed-batch';
import type { ProcessedEvents } from './processed-events';

export type EventHandler = (event: AnyEnvelope) => Promise<void>;

/** Takes several events of one partition in at once, in their order. */
export type EventBatchHandler = (events: AnyEnvelope[]) => Promise<void>;

export interface EventConsumerOptions {
  groupId: string;
  topics: string[];
  handle: EventHandler;
  /**
   * The events the handler acts on, by their type alone (a version it cannot read must still reach
   * it, to go to the DLQ). The others are passed over without the processed-event bookkeeping,
   * two database commands each that would change nothing. All events when left out.
   */
  actsOn?: (event: AnyEnvelope) => boolean;
  processed: ProcessedEvents;
  /**
   * Takes up to `manyAtOnce` (default 100) of a partition's events in at once, in their order, for
   * a handler that gathers their writes into a few database commands (a consumer catching up
   * reads whole partitions). No processed-event marks are kept for it, so it must tolerate a
   * repeat; when it fails, the chunk's events go through `handle` one by one, with retries, marks
   * and the DLQ. Not with `concurrency`.
   */
  handleMany?: EventBatchHandler;
  manyAtOnce?: number;
  /** Attempts before a message goes to the DLQ. Kept small: all of them must fit in the session timeout. */
  maxAttempts?: number;
  /** First retry delay; it doubles with each attempt. */
  backoffMs?: number;
  fromBeginning?: boolean;
  /**
   * Messages of one partition's batch handled at once, never two of one key (one aggregate's
   * events stay in order). 1 (the default) handles the partition's messages one after another;
   * more suits handlers that touch only their own aggregate's documents, as two messages with
   * different keys may then be handled in either order.
   */
  concurrency?: number;
  log?: (entry: Record<string, unknown>) => void;
  /** Within a batch, the handled offsets are committed after this long (default 5 s)… */
  commitIntervalMs?: number;
  /** …or after this many handled messages (default 100), whichever comes first. */
  commitAfterMessages?: number;
  /** How long `start` waits for the group to take the member in (default 10 s); it joins later otherwise. */
  joinWaitMs?: number;
  /**
   * A message still under way after this long is logged (and again each time as long again
   * passes), with where it stands: its partition holds back every later message of its key, and
   * its batch every commit. Default 30 s.
   */
  slowAfterMs?: number;
}

/** Why a message went to the DLQ, in its headers, beside the untouched original value and key. */
export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  groupId: string;
  error: string;
  attempts: number;
  failedAt: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Consumes validated events. A schema-invalid or unparseable message goes to the group's DLQ at
 * once; a handler that keeps failing goes there after `maxAttempts` with backoff; either way the
 * group moves on (kafkajs would otherwise redeliver the same offset forever). Events already
 * handled by this group are skipped by id.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly dlqProducer: Producer;
  private joined?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: EventConsumerOptions,
  ) {
    if (options.handleMany && (options.concurrency ?? 1) > 1) {
      throw new Error(
        'an EventConsumer takes events in either by chunks (handleMany) or concurrently, not both',
      );
    }
    this.consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    this.dlqProducer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  }

  /**
   * Creates the topics, subscribes and starts consuming; returns once the group has taken the
   * member in, or after `joinWaitMs` while the group still waits (the joining goes on).
   */
  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, this.options.topics);
      // One partition: dead letters are few, and a total order gives each a unique offset to replay by.
      await ensureTopics(
        admin,
        this.options.topics.map((t) => dlqTopicOf(t, this.options.groupId)),
        1,
      );
    } finally {
      await admin.disconnect();
    }
    await this.dlqProducer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.joined = new Promise((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.runAgainAfter(payload.error);
    });
    // A start normally returns with the member in its group. After a crash, though, the group takes a
    // new member in only once the dead one's session has ended (up to 30 s): the service should
    // answer meanwhile, and the messages wait in Kafka.
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([
      this.run(),
      new Promise((resolve) => (waited = setTimeout(resolve, this.options.joinWaitMs ?? 10_000))),
    ]);
    clearTimeout(waited);
  }

  private run(): Promise<void> {
    const { concurrency = 1, handleMany, manyAtOnce = 100 } = this.options;
    return this.consumer
      .run({
        // kafkajs commits at the end of a batch only, unless told otherwise: a batch can be a whole
        // partition (hundreds of messages after a reset), which then showed no progress for minutes
        // and would be handled again from its start after a crash.
        autoCommitInterval: this.options.commitIntervalMs ?? 5_000,
        autoCommitThreshold: this.options.commitAfterMessages ?? 100,
        eachBatchAutoResolve: false,
        eachBatch: ({ batch, ...payload }) =>
          handleMany
            ? handleBatchInChunks({ batch, ...payload }, manyAtOnce, (messages) =>
                this.receiveMany(batch.topic, batch.partition, messages, handleMany),
              )
            : handleBatchByKey({ batch, ...payload }, concurrency, (message) =>
                this.receive(batch.topic, batch.partition, message),
              ),
      })
      .catch((error: unknown) => this.runAgainAfter(error));
  }

  /**
   * kafkajs restarts a consumer after a retriable crash only; an error it deems final (the group
   * coordinator not found while the broker restarts, for one) left the service consuming nothing
   * until its own restart. The consumer runs again, after a pause, until it stops.
   */
  private runAgainAfter(error: unknown): void {
    if (this.stopping) return;
    this.options.log?.({
      msg: 'the consumer crashed and kafkajs does not restart it: it runs again in 5 s',
      groupId: this.options.groupId,
      err: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    const again = setTimeout(() => {
      if (this.stopping) return;
      this.consumer.connect().then(
        () => this.run(),
        (failure: unknown) => this.runAgainAfter(failure),
      );
    }, 5_000);
    again.unref();
  }

  /** Resolves once the group has taken this member in (the first time), for tests that must wait. */
  whenJoined(): Promise<void> {
    if (!this.joined) return Promise.reject(new Error('the consumer is not started'));
    return this.joined;
  }

  /** Finishes the messages under way and commits their offsets before leaving the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
    await this.dlqProducer.disconnect();
  }

  /** The group and the topics it reads, for the lag a gauge shows. */
  get subscription(): { groupId: string; topics: readonly string[] } {
    return { groupId: this.options.groupId, topics: this.options.topics };
  }

  /** The DLQ topics of this group, one per topic it reads. */
  get deadLetterTopics(): string[] {
    return this.options.topics.map((t) => dlqTopicOf(t, this.options.groupId));
  }

  /** Each message is handled in a consumer span that continues the producer's trace. */
  private receive(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const { groupId } = this.options;
    return this.loggedWhileSlow(
      {
        msg: 'a message is still being handled',
        topic,
        partition,
        offset: message.offset,
        eventId: message.headers?.['event-id']?.toString(),
      },
      () =>
        inConsumerSpan(
          { topic, partition, groupId, headers: message.headers, value: message.value },
          (span) => this.process(topic, partition, message, span.fail),
        ),
    );
  }

  /**
   * A chunk of one partition's messages in one span: the valid events the group acts on go to the
   * batch handler together, and one by one through `receive` if it fails; the others are
   * received one by one (the invalid ones go to the DLQ).
   */
  private receiveMany(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    handleMany: EventBatchHandler,
  ): Promise<void> {
    const { groupId, actsOn } = this.options;
    return this.loggedWhileSlow(
      {
        msg: 'a chunk of messages is still being handled',
        topic,
        partition,
        offsets: `${messages[0]?.offset}-${messages[messages.length - 1]?.offset}`,
      },
      () =>
        inBatchConsumerSpan({ topic, partition, groupId, messages }, async (span) => {
          const taken: { message: KafkaMessage; event: AnyEnvelope }[] = [];
          for (const message of messages) {
            const event = validEventOf(message);
            if (!event) await this.receive(topic, partition, message);
            else if (!actsOn || actsOn(event)) taken.push({ message, event });
          }
          if (taken.length === 0) return;
          try {
            await handleMany(taken.map(({ event }) => event));
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            span.fail(reason);
            this.options.log?.({
              msg: 'the batch handler failed: its events are handled one by one',
              groupId,
              topic,
              partition,
              events: taken.length,
              reason,
            });
            for (const { message } of taken) await this.receive(topic, partition, message);
          }
        }),
    );
  }

  /**
   * Logs `fields` while `work` is under way, after `slowAfterMs` and each time as long again
   * passes: its partition holds back every later message of its key, and its batch every commit.
   */
  private async loggedWhileSlow(fields: Record<string, unknown>, work: () => Promise<void>): Promise<void> {
    const { groupId, slowAfterMs = 30_000 } = this.options;
    const began = performance.now();
    const slow = setInterval(() => {
      this.options.log?.({
        ...fields,
        groupId,
        seconds: Math.round((performance.now() - began) / 1000),
      });
    }, slowAfterMs);
    try {
      await work();
    } finally {
      clearInterval(slow);
    }
  }

  private async process(
    topic: string,
    partition: number,
    message: KafkaMessage,
    failed: (reason: string) => void,
  ): Promise<void> {
    const deadLetter = (reason: string, attempts: number) => {
      failed(reason);
      return this.deadLetter(topic, partition, message, reason, attempts);
    };
    let raw: unknown;
    try {
      raw = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch {
      return deadLetter('not JSON', 0);
    }
    const checked = validateEvent(raw);
    if (!checked.ok) return deadLetter(`${checked.reason} ${JSON.stringify(checked.issues)}`, 0);
    const event = checked.event;
    return withEventCorrelation(event, () => this.handleEvent(event, deadLetter));
  }

  private async handleEvent(
    event: AnyEnvelope,
    deadLetter: (reason: string, attempts: number) => Promise<void>,
  ): Promise<void> {
    const { groupId, actsOn } = this.options;
    if (actsOn && !actsOn(event)) return;
    if (await this.options.processed.has(groupId, event.id)) return;

    const maxAttempts = this.options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handle(event);
        break;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.options.log?.({
          msg: 'event handler failed',
          groupId,
          eventId: event.id,
          type: event.type,
          attempt,
          reason,
        });
        if (attempt >= maxAttempts) return deadLetter(reason, attempt);
        await sleep((this.options.backoffMs ?? 200) * 2 ** (attempt - 1));
      }
    }
    await this.options.processed.mark(groupId, event.id);
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: string,
    attempts: number,
  ) {
    const letter: DeadLetter = {
      topic,
      partition,
      offset: message.offset,
      groupId: this.options.groupId,
      error: error.slice(0, 2_000),
      attempts,
      failedAt: new Date().toISOString(),
    };
    this.options.log?.({ msg: 'message sent to the DLQ', ...letter });
    await this.dlqProducer.send({
      topic: dlqTopicOf(topic, this.options.groupId),
      acks: -1,
      messages: [
        { key: message.key, value: message.value, headers: { 'dead-letter': JSON.stringify(letter) } },
      ],
    });
  }
}

/** The message's event, or undefined when it is not JSON or not a valid event. */
function validEventOf(message: KafkaMessage): AnyEnvelope | undefined {
  try {
    const checked = validateEvent(JSON.parse(message.value?.toString('utf8') ?? ''));
    return checked.ok ? checked.event : undefined;
  } catch {
    return undefined;
  }
}
