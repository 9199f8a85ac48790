import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { AnyEnvelope } from '@s3p/contracts';
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
import type { ShutdownStep } from '@s3p/service-kit';
import {
  metricsOf,
  connectDatabase,
  registerPlatformMetrics,
  remoteKeys,
  shutDown,
  traceLogFields,
} from '@s3p/service-kit';
import type { Logger } from 'pino';
import pino from 'pino';
import { createReportingApp } from './app';
import type { ReportingConfig } from './config';
import { consumerGroups, reportingTopics } from './config';
import { auditBatchHandler, auditHandler } from './audit/audit-handler';
import type { AuditEntryDocument } from './audit/audit-trail';
import { AuditTrail } from './audit/audit-trail';
import { actsOnMilestones, milestoneEventHandler } from './events/milestone-events';
import { ProjectionRunner } from './projections/projection-runner';
import { Projections } from './projections/projections';
import type { MilestoneDocument } from './store/milestones';
import { Milestones } from './store/milestones';
import type { ReportFileDocument } from './store/report-files';
import { ReportFiles } from './store/report-files';
import type { ReportPilotDocument } from './store/report-pilots';
import { ReportPilots } from './store/report-pilots';

export interface ReportingService {
  url: string;
  port: number;
  /** Graceful shutdown: the server, the consumers, the relays, then the connections. */
  stop(): Promise<void>;
}

const packageVersion = (): string =>
  (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
    .version;

const day = 24 * 60 * 60 * 1000;

/**
 * Connects MongoDB and Kafka; follows the pilots' milestones from the lifecycle's and the
 * applications' events; keeps every event of every topic in the audit trail and in the read
 * models (rebuilt from offset zero on demand); relays its own
 * events (reports, verdicts) from the outboxes; and listens for the regions' reports, the
 * auditors' verdicts and their reading.
 */
export async function startReportingService(
  config: ReportingConfig,
  logger: Logger = pino({ name: 'reporting', level: config.LOG_LEVEL, mixin: traceLogFields }),
): Promise<ReportingService> {
  const steps: ShutdownStep[] = [];
  const stopFirst = (step: ShutdownStep) => steps.unshift(step);
  let server: Server | undefined;
  try {
    const db = await connectDatabase(config, logger, stopFirst);
    const pilots = new ReportPilots(db.collection<ReportPilotDocument>('pilots'));
    const milestones = new Milestones(db.collection<MilestoneDocument>('milestones'));
    const files = new ReportFiles(db.collection<ReportFileDocument>('files'));
    await pilots.ensureIndexes();
    await milestones.ensureIndexes();
    await files.ensureIndexes();
    const auditTrail = new AuditTrail(db.collection<AuditEntryDocument>('audit'));
    await auditTrail.ensureIndexes();
    const projections = new Projections(db);
    await projections.ensureIndexes();

    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'reporting' });
    const admin = kafka.admin();
    await admin.connect();
    stopFirst(['kafka admin', () => admin.disconnect()]);
    const topics = reportingTopics(config);
    await ensureTopics(admin, topics.all);
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    stopFirst(['kafka publisher', () => publisher.disconnect()]);
    const onRelayError = (error: unknown) =>
      logger.error({ err: error }, 'outbox relay pass failed; retrying');
    const milestoneRelay = new OutboxRelay(milestones.collection, publisher, {
      topic: topics.own,
      writeQueue: milestones.writeQueue,
      onError: onRelayError,
    });
    const pilotRelay = new OutboxRelay(pilots.collection, publisher, {
      topic: topics.own,
      writeQueue: pilots.writeQueue,
      onError: onRelayError,
    });
    if (config.OUTBOX_RELAY_ENABLED) {
      milestoneRelay.start();
      pilotRelay.start();
      stopFirst([
        'outbox relays',
        () => Promise.all([milestoneRelay.stop(), pilotRelay.stop()]).then(() => undefined),
      ]);
    } else {
      logger.warn('the outbox relays are disabled: events wait in the outboxes');
    }

    const processed = new ProcessedEvents(db.collection('processed_events'));
    const groups = consumerGroups(config);
    const milestoneConsumer = new EventConsumer(kafka, {
      groupId: groups.milestones,
      topics: topics.milestones,
      processed,
      actsOn: actsOnMilestones,
      handle: milestoneEventHandler({ pilots, milestones, deadlineTimeUtc: config.DEADLINE_TIME_UTC }),
      log: (entry) => logger.warn(entry),
    });
    const topicOfEvent = (event: AnyEnvelope) => `${config.TOPIC_PREFIX}${event.source}.events`;
    const auditConsumer = new EventConsumer(kafka, {
      groupId: groups.audit,
      topics: topics.all,
      processed,
      // Every service publishes on the topic named after it: the source says the topic.
      handle: auditHandler(auditTrail, topicOfEvent),
      handleMany: auditBatchHandler(auditTrail, topicOfEvent),
      log: (entry) => logger.warn(entry),
    });
    const projectionRunner = new ProjectionRunner({
      kafka,
      db,
      projections,
      topicPrefix: config.TOPIC_PREFIX,
      topics: topics.all,
      log: (entry) => logger.warn(entry),
    });
    stopFirst(['milestone consumer', () => milestoneConsumer.stop()]);
    stopFirst(['audit consumer', () => auditConsumer.stop()]);
    stopFirst(['projection consumer', () => projectionRunner.stop()]);
    // Side by side: each may wait up to its join bound for a group still holding a dead member.
    await Promise.all([milestoneConsumer.start(), auditConsumer.start(), projectionRunner.start()]);

    const app = createReportingApp({
      auditTrail,
      projections,
      rebuildProjections: () => projectionRunner.rebuild(),
      pilots,
      milestones,
      files,
      dueWindowMs: config.MILESTONE_DUE_WINDOW_DAYS * day,
      maxFileBytes: config.FILE_MAX_BYTES,
      pokeMilestones: (milestoneId) => milestoneRelay.poke(milestoneId),
      pokePilots: (pilotId) => pilotRelay.poke(pilotId),
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
        consumerLag: () => consumerLag(admin, [milestoneConsumer.subscription, auditConsumer.subscription]),
        deadLetters: () =>
          deadLetterDepth(admin, [...milestoneConsumer.deadLetterTopics, ...auditConsumer.deadLetterTopics]),
        outboxBacklog: () => outboxBacklog({ milestones: milestoneRelay, pilots: pilotRelay }),
      },
      (error) => logger.warn({ err: error }, 'a gauge could not be sampled'),
    );

    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.PORT, config.HOST, (error?: Error) =>
        error ? reject(error) : resolve(listening),
      );
    });
    const { port } = server.address() as AddressInfo;
    logger.info({ port, topic: topics.own }, 'reporting service listening');
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
