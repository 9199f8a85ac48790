import { EventConsumer, ProcessedEvents } from '@s3p/messaging';
import type { Admin, Kafka } from 'kafkajs';
import type { Collection, Db } from 'mongodb';
import type { Projections } from './projections';
import { projectionLayout } from './projections';

/** Which consumer group the projections read with, and whether its projections were emptied for it. */
interface ProjectionState {
  _id: 'projections';
  generation: number;
  /** False from the moment a rebuild takes a new generation until the projections are empty. */
  cleared: boolean;
  /** The layout the generation writes (1 when missing: from before layouts were noted). */
  layout?: number;
}

export interface ProjectionRunnerOptions {
  kafka: Kafka;
  db: Db;
  projections: Projections;
  /** The service's TOPIC_PREFIX: the consumer groups are prefixed like the topics. */
  topicPrefix: string;
  /** Every topic of the platform. */
  topics: string[];
  log?: (entry: Record<string, unknown>) => void;
}

/** The consumer group of one generation of the projections. */
export const projectionGroupOf = (topicPrefix: string, generation: number): string =>
  `${topicPrefix}reporting-projections-g${generation}`;

const stateId = 'projections';
const processedCollection = 'projection_processed_events';

/**
 * Owns the projections' consumer. A rebuild takes the next generation, whose consumer group has
 * no offsets yet, empties the projections, and reads every topic from offset zero: the merges
 * (see Projections) make the result the same as the projections it replaces. The generation is
 * taken before the projections are emptied, and a start finishes an emptying a crash cut short,
 * so no restart ever resumes an old group over emptied projections. Lifecycle calls run one at a
 * time. Reads during a replay see the projections partly built.
 */
export class ProjectionRunner {
  private readonly state: Collection<ProjectionState>;
  private readonly processedEvents: Collection;
  private readonly processed: ProcessedEvents;
  private consumer: EventConsumer | undefined;
  private groupId: string | undefined;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.state = options.db.collection<ProjectionState>('projection_state');
    // Apart from the service's other consumers, so that a rebuild can empty it.
    this.processedEvents = options.db.collection(processedCollection);
    this.processed = new ProcessedEvents(options.db.collection(processedCollection));
  }

  /**
   * Consumes with the current generation's group, from where it stopped; projections kept in
   * another layout than this code's are rebuilt first, in a new generation.
   */
  start(): Promise<void> {
    return this.inTurn(async () => {
      if (this.consumer) return;
      const state = await this.currentState();
      if ((state.layout ?? 1) !== projectionLayout) {
        await this.replaceGeneration(state.generation);
        return;
      }
      if (!state.cleared) await this.empty(state.generation);
      await this.consume(state.generation);
    });
  }

  /** Leaves the group after the message under way. */
  stop(): Promise<void> {
    return this.inTurn(() => this.leave());
  }

  /** Replaces the projections with a replay of every topic from offset zero, in a new consumer group. */
  rebuild(): Promise<{ generation: number }> {
    return this.inTurn(async () => {
      await this.leave();
      return { generation: await this.replaceGeneration((await this.currentState()).generation) };
    });
  }

  /** The current generation's group, as stored: also when another process consumes with it. */
  async currentGroup(): Promise<string> {
    return projectionGroupOf(this.options.topicPrefix, (await this.currentState()).generation);
  }

  /** Members of the current generation's group: a running service, or a rebuild under way. */
  async groupMembers(): Promise<number> {
    const groupId = await this.currentGroup();
    return this.withAdmin(async (admin) => {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]?.members.length ?? 0;
    });
  }

  /** Messages on the topics that the current group has not committed yet. */
  async lag(): Promise<number> {
    const groupId = await this.currentGroup();
    const { topics } = this.options;
    return this.withAdmin(async (admin) => {
      const committed = new Map<string, number>();
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
        for (const { partition, offset } of partitions)
          committed.set(`${topic}/${partition}`, Number(offset));
      }
      let lag = 0;
      for (const topic of topics) {
        for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
          const done = committed.get(`${topic}/${partition}`) ?? -1;
          lag += Number(high) - Math.max(done, Number(low));
        }
      }
      return lag;
    });
  }

  /** Resolves once the group has committed every message the topics held at some moment since the call. */
  async waitUntilCaughtUp({ timeoutMs = 60_000, pollMs = 250 } = {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lag = await this.lag();
      if (lag === 0) return;
      if (Date.now() > deadline) throw new Error(`the projections are still ${lag} message(s) behind`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private inTurn<T>(step: () => Promise<T>): Promise<T> {
    const result = this.turn.then(step);
    this.turn = result.catch(() => undefined);
    return result;
  }

  private async currentState(): Promise<ProjectionState> {
    const state = await this.state.findOne({ _id: stateId });
    if (state) return state;
    const first: ProjectionState = { _id: stateId, generation: 1, cleared: true, layout: projectionLayout };
    await this.state.updateOne({ _id: stateId }, { $setOnInsert: first }, { upsert: true });
    return (await this.state.findOne({ _id: stateId })) ?? first;
  }

  /**
   * Takes the generation after `current`, in this code's layout, empties the projections for it
   * and consumes from offset zero; the old generation's group goes.
   */
  private async replaceGeneration(current: number): Promise<number> {
    const generation = current + 1;
    await this.state.replaceOne(
      { _id: stateId },
      { generation, cleared: false, layout: projectionLayout },
      { upsert: true },
    );
    await this.empty(generation);
    await this.consume(generation);
    await this.deleteGroup(projectionGroupOf(this.options.topicPrefix, current));
    return generation;
  }

  private async empty(generation: number): Promise<void> {
    await this.options.projections.clear();
    await this.processedEvents.deleteMany({});
    await this.state.updateOne({ _id: stateId, generation }, { $set: { cleared: true } });
  }

  private async consume(generation: number): Promise<void> {
    const groupId = projectionGroupOf(this.options.topicPrefix, generation);
    const { projections, kafka, topics, log } = this.options;
    const consumer = new EventConsumer(kafka, {
      groupId,
      topics,
      processed: this.processed,
      handle: (event) => projections.apply(event),
      handleMany: (events) => projections.applyMany(events),
      fromBeginning: true,
      ...(log ? { log } : {}),
    });
    await consumer.start();
    this.consumer = consumer;
    this.groupId = groupId;
  }

  private async leave(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.groupId = undefined;
    await consumer?.stop();
  }

  /** The old generation's offsets serve no one; its dead letters stay on their topics. */
  private async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.withAdmin((admin) => admin.deleteGroups([groupId]));
    } catch (error) {
      this.options.log?.({
        msg: 'the previous projections group could not be deleted; it holds offsets only',
        groupId,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect();
    }
  }
}
