import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  consumerLag,
  createKafka,
  deadLetterDepth,
  ensureTopics,
  EventConsumer,
  EventPublisher,
  kafkaReadiness,
  outboxBacklog,
  OutboxRelay,
  ProcessedEvents,
} from '@s3p/messaging';
import type { ServiceTracing, ShutdownStep } from '@s3p/service-kit';
import {
  countsBy,
  metricsOf,
  connectDatabase,
  cachedWorkflowsOf,
  registerPlatformMetrics,
  remoteKeys,
  ServiceTokens,
  shutDown,
  traceLogFields,
} from '@s3p/service-kit';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Logger } from 'pino';
import pino from 'pino';
import { httpCallsGateway } from './activities/calls-gateway';
import { createPilotActivities } from './activities/pilot-activities';
import { createLifecycleApp } from './app';
import type { LifecycleConfig } from './config';
import { consumerGroup, lifecycleTopics, timingOf } from './config';
import { actsOn, consumedEventHandler } from './events/consumed-events';
import { PilotClient } from './pilot-client';
import type { PilotDocument, PilotEventDocument } from './store/pilot-store';
import { PilotStore } from './store/pilot-store';
import type { ReviewerDocument } from './store/reviewer-pool';
import { ReviewerPool } from './store/reviewer-pool';
import type { ReviewTaskDocument } from './store/review-tasks';
import { ReviewTasks } from './store/review-tasks';
import type { SeatingDocument } from './store/seatings';
import { Seatings } from './store/seatings';
import type { SubmissionDocument } from './store/submissions';
import { Submissions } from './store/submissions';
import { createPilotWorker } from './worker';
import { tracedClientInterceptors } from './temporal-tracing';

export interface LifecycleService {
  url: string;
  port: number;
  /** Graceful shutdown: the server, the consumer, the relay, the worker, then the connections. */
  stop(): Promise<void>;
}

const packageVersion = (): string =>
  (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
    .version;

/**
 * Connects MongoDB, Kafka and Temporal; runs the pilot workflows' worker, the outbox relay of
 * `lifecycle.events` and the consumer that bridges other services' events into the workflows;
 * and listens for people's steps.
 */
export async function startLifecycleService(
  config: LifecycleConfig,
  logger: Logger = pino({ name: 'lifecycle', level: config.LOG_LEVEL, mixin: traceLogFields }),
  /** From `startTracing`: Temporal's interceptors join the process's traces. */
  tracing?: ServiceTracing,
): Promise<LifecycleService> {
  const steps: ShutdownStep[] = [];
  const stopFirst = (step: ShutdownStep) => steps.unshift(step);
  let server: Server | undefined;
  try {
    const db = await connectDatabase(config, logger, stopFirst);
    const store = new PilotStore(
      db.collection<PilotDocument>('pilots'),
      db.collection<PilotEventDocument>('pilot_events'),
    );
    const reviewTasks = new ReviewTasks(db.collection<ReviewTaskDocument>('review_tasks'));
    const seatings = new Seatings(db.collection<SeatingDocument>('seatings'));
    const pool = new ReviewerPool(db.collection<ReviewerDocument>('reviewers'));
    const submissions = new Submissions(db.collection<SubmissionDocument>('submissions'));
    await store.ensureIndexes();
    await reviewTasks.ensureIndexes();
    await submissions.ensureIndexes();

    const temporal = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    stopFirst(['temporal client', () => temporal.close()]);
    const pilots = new PilotClient(
      new Client({
        connection: temporal,
        namespace: config.TEMPORAL_NAMESPACE,
        interceptors: tracedClientInterceptors(tracing),
      }),
      config.TEMPORAL_TASK_QUEUE,
      timingOf(config),
    );
    const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    stopFirst(['temporal worker connection', () => workerConnection.close()]);

    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'lifecycle' });
    const admin = kafka.admin();
    await admin.connect();
    stopFirst(['kafka admin', () => admin.disconnect()]);
    const topics = lifecycleTopics(config);
    await ensureTopics(admin, [topics.own]);
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    stopFirst(['kafka publisher', () => publisher.disconnect()]);
    const relay = new OutboxRelay(store.events, publisher, {
      topic: topics.own,
      deleteRelayed: true,
      onError: (error) => logger.error({ err: error }, 'outbox relay pass failed; retrying'),
    });
    // Events recorded inside the pilots' documents before they had a collection of their own:
    // swept at start and seldom after, until none is left.
    const leftovers = new OutboxRelay(store.collection, publisher, {
      topic: topics.own,
      writeQueue: store.writeQueue,
      idleMs: 600_000,
      onError: (error) => logger.error({ err: error }, 'outbox relay pass failed; retrying'),
    });

    const tokens = new ServiceTokens({
      tokenUrl: config.AUTH_TOKEN_URL,
      clientId: config.AUTH_CLIENT_ID,
      clientSecret: config.AUTH_CLIENT_SECRET,
    });
    const worker = await createPilotWorker({
      connection: workerConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      maxCachedWorkflows: config.TEMPORAL_WORKFLOW_CACHE_SIZE,
      activities: createPilotActivities({
        pilots: store,
        reviewTasks,
        seatings,
        pool,
        submissions,
        calls: httpCallsGateway(config.CALLS_URL, (url, init) => tokens.authorizedFetch(url, init)),
        poke: (eventId) => relay.poke(eventId),
      }),
      tracing,
    });
    const running = worker.run();
    running.catch((error: unknown) => logger.error({ err: error }, 'the pilot workflow worker stopped'));
    stopFirst([
      'temporal worker',
      async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
      },
    ]);

    if (config.OUTBOX_RELAY_ENABLED) {
      relay.start();
      leftovers.start();
      stopFirst(['outbox relays', () => Promise.all([relay.stop(), leftovers.stop()]).then(() => undefined)]);
    } else {
      logger.warn('the outbox relay is disabled: events wait in the outbox');
    }

    const consumer = new EventConsumer(kafka, {
      groupId: consumerGroup(config),
      topics: topics.consumed,
      processed: new ProcessedEvents(db.collection('processed_events')),
      actsOn,
      // Each event touches only its own pilot (its submission, its workflow): after a burst of
      // submissions, pilots start side by side rather than one workflow start at a time.
      concurrency: 16,
      handle: consumedEventHandler({ pilots, submissions, logger }),
      log: (entry) => logger.warn(entry),
    });
    await consumer.start();
    stopFirst(['event consumer', () => consumer.stop()]);

    const app = createLifecycleApp({
      pilots,
      store,
      reviewTasks,
      submissions,
      pool,
      logger,
      version: packageVersion(),
      auth: {
        keys: remoteKeys(config.AUTH_JWKS_URL),
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
      },
      readiness: {
        mongodb: async () => {
          await db.command({ ping: 1 });
        },
        kafka: kafkaReadiness(admin),
        temporal: async () => {
          await temporal.workflowService.getSystemInfo({});
        },
        worker: async () => {
          if (worker.getState() !== 'RUNNING') throw new Error(`worker ${worker.getState().toLowerCase()}`);
        },
      },
    });
    registerPlatformMetrics(
      metricsOf(app),
      {
        consumerLag: () => consumerLag(admin, [consumer.subscription]),
        deadLetters: () => deadLetterDepth(admin, consumer.deadLetterTopics),
        outboxBacklog: () => outboxBacklog({ pilots: relay }),
        pilotsByStage: countsBy(store.collection, 'stage', 'stage'),
        cachedWorkflows: cachedWorkflowsOf(worker, config.TEMPORAL_TASK_QUEUE),
      },
      (error) => logger.warn({ err: error }, 'a gauge could not be sampled'),
    );

    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.PORT, config.HOST, (error?: Error) =>
        error ? reject(error) : resolve(listening),
      );
    });
    const { port } = server.address() as AddressInfo;
    logger.info(
      { port, topic: topics.own, taskQueue: config.TEMPORAL_TASK_QUEUE },
      'lifecycle service listening',
    );
    const listening = server;
    return {
      url: `http://${config.HOST}:${port}`,
      port,
      stop: async () => {
        await shutDown(logger, listening, steps);
      },
    };
  } catch (error) {
    await shutDown(logger, server, steps);
    throw error;
  }
}
