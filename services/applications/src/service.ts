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
import type { IdempotencyRecord, ShutdownStep } from '@s3p/service-kit';
import {
  ensureIdempotencyIndexes,
  metricsOf,
  purgeExpiredIdempotencyKeys,
  connectDatabase,
  registerPlatformMetrics,
  remoteKeys,
  shutDown,
  traceLogFields,
} from '@s3p/service-kit';
import type { Logger } from 'pino';
import pino from 'pino';
import { createApplicationsApp } from './app';
import type { ApplicationsConfig } from './config';
import { applicationsTopic, callsTopic, consumerGroup, lifecycleTopic } from './config';
import { actsOn, consumedEventHandler } from './events/consumed-events';
import type { ApplicationDocument } from './store/application-store';
import { ApplicationStore } from './store/application-store';
import type { CallProjectionDocument } from './store/call-projection-store';
import { CallProjectionStore } from './store/call-projection-store';

export interface ApplicationsService {
  /** Where it listens, with the real port when PORT was 0. */
  url: string;
  port: number;
  /** Graceful shutdown: the server, the consumer (offsets committed), the relay, then the connections. */
  stop(): Promise<void>;
}

const purgeEveryMs = 60 * 60 * 1000;

const packageVersion = (): string =>
  (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
    .version;

/**
 * Connects MongoDB and Kafka, ensures indexes and topics, starts the projection of calls, the
 * following of the lifecycle's stage changes and the outbox relay, and listens.
 */
export async function startApplicationsService(
  config: ApplicationsConfig,
  logger: Logger = pino({ name: 'applications', level: config.LOG_LEVEL, mixin: traceLogFields }),
): Promise<ApplicationsService> {
  // What is running, in the order to stop it; on a failed start, what did start is stopped.
  const steps: ShutdownStep[] = [];
  const stopFirst = (step: ShutdownStep) => steps.unshift(step);
  let server: Server | undefined;
  try {
    const db = await connectDatabase(config, logger, stopFirst);
    const applications = new ApplicationStore(db.collection<ApplicationDocument>('applications'));
    await applications.ensureIndexes();
    const calls = new CallProjectionStore(db.collection<CallProjectionDocument>('call_projections'));
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

    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'applications' });
    const admin = kafka.admin();
    await admin.connect();
    stopFirst(['kafka admin', () => admin.disconnect()]);
    const topic = applicationsTopic(config);
    await ensureTopics(admin, [topic]);
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    stopFirst(['kafka publisher', () => publisher.disconnect()]);
    const relay = new OutboxRelay(applications.collection, publisher, {
      topic,
      writeQueue: applications.writeQueue,
      onError: (error) => logger.error({ err: error }, 'outbox relay pass failed; retrying'),
    });
    relay.start();
    stopFirst(['outbox relay', () => relay.stop()]);

    // One group for both topics: calls feed the projection, lifecycle stage changes the status.
    const consumes = [callsTopic(config), lifecycleTopic(config)];
    const consumer = new EventConsumer(kafka, {
      groupId: consumerGroup(config),
      topics: consumes,
      processed: new ProcessedEvents(db.collection('processed_events')),
      actsOn,
      // A stage change touches only its own application, a call event only that call's copy.
      // Few at once: each is a write, and FerretDB's SQLite takes one write at a time.
      concurrency: 4,
      handle: consumedEventHandler({ calls, applications, logger }),
      log: (entry) => logger.warn(entry),
    });
    await consumer.start();
    stopFirst(['calls and lifecycle consumer', () => consumer.stop()]);

    const app = createApplicationsApp({
      applications,
      calls,
      poke: (applicationId) => relay.poke(applicationId),
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
      },
    });
    registerPlatformMetrics(
      metricsOf(app),
      {
        consumerLag: () => consumerLag(admin, [consumer.subscription]),
        deadLetters: () => deadLetterDepth(admin, consumer.deadLetterTopics),
        outboxBacklog: () => outboxBacklog({ applications: relay }),
      },
      (error) => logger.warn({ err: error }, 'a gauge could not be sampled'),
    );

    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.PORT, config.HOST, (error?: Error) =>
        error ? reject(error) : resolve(listening),
      );
    });
    const { port } = server.address() as AddressInfo;
    logger.info({ port, topic, consumes }, 'applications service listening');
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
