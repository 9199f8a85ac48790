import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  createKafka,
  ensureTopics,
  EventPublisher,
  kafkaReadiness,
  outboxBacklog,
  OutboxRelay,
} from '@s3p/messaging';
import type { IdempotencyRecord, ServiceTracing, ShutdownStep } from '@s3p/service-kit';
import {
  ensureIdempotencyIndexes,
  metricsOf,
  purgeExpiredIdempotencyKeys,
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
import { createScheduleActivities } from './activities/schedule';
import { createCallsApp } from './app';
import type { CallsConfig } from './config';
import { callsTopic } from './config';
import { CallScheduler, scheduleInputOf } from './scheduler';
import type { CallDocument } from './store/call-store';
import { CallStore } from './store/call-store';
import { createScheduleWorker } from './worker';
import { tracedClientInterceptors } from './temporal-tracing';

export interface CallsService {
  /** Where it listens, with the real port when PORT was 0. */
  url: string;
  port: number;
  /** Graceful shutdown: the server, the relay, the worker, then the connections. */
  stop(): Promise<void>;
}

const purgeEveryMs = 60 * 60 * 1000;

const packageVersion = (): string =>
  (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
    .version;

/**
 * Connects MongoDB, Kafka and Temporal, ensures indexes and the topic, starts the outbox relay
 * and the call workflows' worker, re-arms the timers of every published call, and listens.
 */
export async function startCallsService(
  config: CallsConfig,
  logger: Logger = pino({ name: 'calls', level: config.LOG_LEVEL, mixin: traceLogFields }),
  /** From `startTracing`: Temporal's interceptors join the process's traces. */
  tracing?: ServiceTracing,
): Promise<CallsService> {
  // What is running, in the order to stop it; on a failed start, what did start is stopped.
  const steps: ShutdownStep[] = [];
  const stopFirst = (step: ShutdownStep) => steps.unshift(step);
  let server: Server | undefined;
  try {
    const db = await connectDatabase(config, logger, stopFirst);
    const store = new CallStore(db.collection<CallDocument>('calls'));
    await store.ensureIndexes();
    const idempotencyKeys = db.collection<IdempotencyRecord>('idempotency_keys');
    await ensureIdempotencyIndexes(idempotencyKeys);
    await purgeExpiredIdempotencyKeys(idempotencyKeys);
    const purge = setInterval(() => {
      purgeExpiredIdempotencyKeys(idempotencyKeys).catch((error: unknown) =>
        logger.warn({ err: error }, 'could not purge expired idempotency keys'),
      );
    }, purgeEveryMs);
    purge.unref();
    stopFirst(['idempotency purge', () => Promise.resolve(clearInterval(purge))]);

    const temporal = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    stopFirst(['temporal client', () => temporal.close()]);
    const scheduler = new CallScheduler(
      new Client({
        connection: temporal,
        namespace: config.TEMPORAL_NAMESPACE,
        interceptors: tracedClientInterceptors(tracing),
      }),
      config.TEMPORAL_TASK_QUEUE,
    );
    const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    stopFirst(['temporal worker connection', () => workerConnection.close()]);

    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'calls' });
    const admin = kafka.admin();
    await admin.connect();
    stopFirst(['kafka admin', () => admin.disconnect()]);
    const topic = callsTopic(config);
    await ensureTopics(admin, [topic]);
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    stopFirst(['kafka publisher', () => publisher.disconnect()]);
    const relay = new OutboxRelay(store.collection, publisher, {
      topic,
      writeQueue: store.writeQueue,
      onError: (error) => logger.error({ err: error }, 'outbox relay pass failed; retrying'),
    });
    const poke = () => relay.poke();

    const worker = await createScheduleWorker({
      connection: workerConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      maxCachedWorkflows: config.TEMPORAL_WORKFLOW_CACHE_SIZE,
      activities: createScheduleActivities({ store, poke }),
      tracing,
    });
    const running = worker.run();
    running.catch((error: unknown) => logger.error({ err: error }, 'the call workflow worker stopped'));
    stopFirst([
      'temporal worker',
      async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
      },
    ]);

    if (config.OUTBOX_RELAY_ENABLED) {
      relay.start();
      stopFirst(['outbox relay', () => relay.stop()]);
    } else {
      logger.warn('the outbox relay is disabled: events wait in the outbox');
    }

    const app = createCallsApp({
      store,
      scheduler,
      poke,
      idempotencyKeys,
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
        outboxBacklog: () => outboxBacklog({ calls: relay }),
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

    // Timers that should run but may not (a crash between a publication and its workflow's start).
    void rearmPublishedCalls(store, scheduler, logger);

    logger.info({ port, topic, taskQueue: config.TEMPORAL_TASK_QUEUE }, 'calls service listening');
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

async function rearmPublishedCalls(
  store: CallStore,
  scheduler: CallScheduler,
  logger: Logger,
): Promise<void> {
  try {
    for (const call of await store.published()) {
      await scheduler.start(scheduleInputOf(call, call.publicationCorrelationId ?? randomUUID()));
    }
  } catch (error) {
    logger.error({ err: error }, 'could not re-arm the timers of published calls');
  }
}
