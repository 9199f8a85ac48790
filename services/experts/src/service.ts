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
  metricsOf,
  connectDatabase,
  cachedWorkflowsOf,
  registerPlatformMetrics,
  remoteKeys,
  shutDown,
  traceLogFields,
} from '@s3p/service-kit';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Logger } from 'pino';
import pino from 'pino';
import type { ExpertCapacity } from './activities/team-activities';
import { createTeamActivities } from './activities/team-activities';
import { createExpertsApp } from './app';
import type { ExpertsConfig } from './config';
import { consumerGroup, expertsTopics, timingOf } from './config';
import { actsOn, consumedEventHandler } from './events/consumed-events';
import type { AssignmentDocument } from './store/assignments';
import { Assignments } from './store/assignments';
import type { ExpertDocument } from './store/expert-registry';
import { ExpertRegistry } from './store/expert-registry';
import type { ProposalDocument, TeamDocument } from './store/teams';
import { TeamStore } from './store/teams';
import { TeamClient } from './team-client';
import { createTeamWorker } from './worker';
import { tracedClientInterceptors } from './temporal-tracing';

export interface ExpertsService {
  url: string;
  port: number;
  /** Graceful shutdown: the server, the consumer, the relays, the worker, then the connections. */
  stop(): Promise<void>;
}

const packageVersion = (): string =>
  (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
    .version;

/**
 * Connects MongoDB, Kafka and Temporal; runs the team workflows' worker, the outbox relays of
 * `experts.events` (the registry's events and the teams') and the consumer of the lifecycle's
 * events; and listens for the programme managers' and the experts' steps.
 */
export async function startExpertsService(
  config: ExpertsConfig,
  logger: Logger = pino({ name: 'experts', level: config.LOG_LEVEL, mixin: traceLogFields }),
  /** From `startTracing`: Temporal's interceptors join the process's traces. */
  tracing?: ServiceTracing,
): Promise<ExpertsService> {
  const steps: ShutdownStep[] = [];
  const stopFirst = (step: ShutdownStep) => steps.unshift(step);
  let server: Server | undefined;
  try {
    const db = await connectDatabase(config, logger, stopFirst);
    const registry = new ExpertRegistry(db.collection<ExpertDocument>('experts'));
    const teamStore = new TeamStore(
      db.collection<TeamDocument>('teams'),
      db.collection<ProposalDocument>('proposals'),
    );
    const assignments = new Assignments(db.collection<AssignmentDocument>('assignments'));
    await registry.ensureIndexes();
    await teamStore.ensureIndexes();
    await assignments.ensureIndexes();

    const temporal = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    stopFirst(['temporal client', () => temporal.close()]);
    const teams = new TeamClient(
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

    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'experts' });
    const admin = kafka.admin();
    await admin.connect();
    stopFirst(['kafka admin', () => admin.disconnect()]);
    const topics = expertsTopics(config);
    await ensureTopics(admin, [topics.own]);
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    stopFirst(['kafka publisher', () => publisher.disconnect()]);
    const onRelayError = (error: unknown) =>
      logger.error({ err: error }, 'outbox relay pass failed; retrying');
    const registryRelay = new OutboxRelay(registry.collection, publisher, {
      topic: topics.own,
      writeQueue: registry.writeQueue,
      onError: onRelayError,
    });
    const teamRelay = new OutboxRelay(teamStore.collection, publisher, {
      topic: topics.own,
      writeQueue: teamStore.writeQueue,
      onError: onRelayError,
    });

    const capacity: ExpertCapacity = {
      candidates: async () => (await registry.pool()).map(({ load, ...expert }) => ({ expert, load })),
      reserve: (expertId, pilotId) => registry.reserve(expertId, pilotId),
      release: async (expertId, pilotId) => {
        await registry.release(expertId, pilotId);
      },
    };
    const worker = await createTeamWorker({
      connection: workerConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      maxCachedWorkflows: config.TEMPORAL_WORKFLOW_CACHE_SIZE,
      activities: createTeamActivities({
        experts: capacity,
        teams: teamStore,
        assignments,
        poke: (pilotId) => teamRelay.poke(pilotId),
      }),
      tracing,
    });
    const running = worker.run();
    running.catch((error: unknown) => logger.error({ err: error }, 'the team workflow worker stopped'));
    stopFirst([
      'temporal worker',
      async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
      },
    ]);

    if (config.OUTBOX_RELAY_ENABLED) {
      registryRelay.start();
      teamRelay.start();
      stopFirst([
        'outbox relays',
        () => Promise.all([registryRelay.stop(), teamRelay.stop()]).then(() => undefined),
      ]);
    } else {
      logger.warn('the outbox relays are disabled: events wait in the outbox');
    }

    const consumer = new EventConsumer(kafka, {
      groupId: consumerGroup(config),
      topics: topics.consumed,
      processed: new ProcessedEvents(db.collection('processed_events')),
      actsOn,
      handle: consumedEventHandler({ teams, logger }),
      log: (entry) => logger.warn(entry),
    });
    await consumer.start();
    stopFirst(['event consumer', () => consumer.stop()]);

    const app = createExpertsApp({
      experts: registry,
      poke: () => registryRelay.poke(),
      teams,
      teamStore,
      assignments,
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
        outboxBacklog: () => outboxBacklog({ experts: registryRelay, teams: teamRelay }),
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
      'experts service listening',
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
