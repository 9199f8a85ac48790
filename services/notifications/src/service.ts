import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  consumerLag,
  createKafka,
  deadLetterDepth,
  EventConsumer,
  kafkaReadiness,
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
import { createNotificationsApp } from './app';
import type { NotificationsConfig } from './config';
import { consumerGroup, notificationTopics } from './config';
import { HttpDirectory } from './directory/directory';
import { actsOn, notificationEventHandler } from './events/notification-events';
import { NotificationResolver } from './events/notification-resolver';
import { DigestSender } from './mail/digest';
import { MailSender, smtpTransport } from './mail/smtp-sender';
import type { DigestDocument } from './store/digests';
import { Digests } from './store/digests';
import type { InboundEventDocument } from './store/inbound-events';
import { InboundEvents } from './store/inbound-events';
import type { NotificationDocument } from './store/notifications';
import { Notifications } from './store/notifications';
import type { PilotDocument } from './store/pilots';
import { Pilots } from './store/pilots';
import type { PreferencesDocument } from './store/preferences';
import { Preferences } from './store/preferences';

export interface NotificationsService {
  url: string;
  port: number;
  /** Graceful shutdown: the server, the consumer, the loops, then the connections. */
  stop(): Promise<void>;
}

const packageVersion = (): string =>
  (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
    .version;

const seconds = (value: number) => value * 1_000;

/**
 * Connects MongoDB and Kafka; consumes every topic into the kept events and the pilots' facts;
 * runs the resolver (events → notices), the mail sender and the digests; serves the inbox and
 * the settings. One instance: the loops have a single writer each, and on FerretDB the writes to
 * one document queue in the process.
 */
export async function startNotificationsService(
  config: NotificationsConfig,
  logger: Logger = pino({ name: 'notifications', level: config.LOG_LEVEL, mixin: traceLogFields }),
): Promise<NotificationsService> {
  const steps: ShutdownStep[] = [];
  const stopFirst = (step: ShutdownStep) => steps.unshift(step);
  let server: Server | undefined;
  try {
    const db = await connectDatabase(config, logger, stopFirst);
    const pilots = new Pilots(db.collection<PilotDocument>('pilots'));
    const inbound = new InboundEvents(db.collection<InboundEventDocument>('inbound_events'));
    const notifications = new Notifications(db.collection<NotificationDocument>('notifications'));
    const preferences = new Preferences(db.collection<PreferencesDocument>('preferences'));
    const digests = new Digests(db.collection<DigestDocument>('digests'));
    await inbound.ensureIndexes();
    await notifications.ensureIndexes();
    await digests.ensureIndexes();

    const retry = { baseMs: seconds(config.RETRY_BASE_SECONDS), maxMs: seconds(config.RETRY_MAX_SECONDS) };
    const mail = {
      mailDomain: config.MAIL_USER_DOMAIN,
      messageIdDomain: config.MAIL_MESSAGE_ID_DOMAIN,
      portalUrl: config.PORTAL_URL,
    };
    const transport = smtpTransport({
      url: config.SMTP_URL,
      from: config.MAIL_FROM,
      timeoutMs: seconds(config.SMTP_TIMEOUT_SECONDS),
    });
    stopFirst(['smtp transport', async () => transport.close()]);

    const sender = new MailSender({ notifications, preferences, transport, retry, ...mail, logger });
    const digestSender = new DigestSender({
      notifications,
      preferences,
      digests,
      transport,
      retry,
      periodMs: seconds(config.DIGEST_PERIOD_SECONDS),
      checkMs: seconds(config.DIGEST_CHECK_SECONDS),
      ...mail,
      logger,
    });
    const resolver = new NotificationResolver({
      inbound,
      pilots,
      notifications,
      preferences,
      directory: new HttpDirectory(config.DIRECTORY_URL, seconds(config.DIRECTORY_REFRESH_SECONDS), logger),
      retry,
      mailDomain: config.MAIL_USER_DOMAIN,
      onNotified: () => sender.poke(),
      logger,
    });
    sender.start();
    digestSender.start();
    resolver.start();
    stopFirst([
      'resolver and mail loops',
      () => Promise.all([resolver.stop(), sender.stop(), digestSender.stop()]).then(() => undefined),
    ]);

    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'notifications' });
    const admin = kafka.admin();
    await admin.connect();
    stopFirst(['kafka admin', () => admin.disconnect()]);
    const consumer = new EventConsumer(kafka, {
      groupId: consumerGroup(config),
      topics: notificationTopics(config),
      processed: new ProcessedEvents(db.collection('processed_events')),
      actsOn,
      handle: notificationEventHandler({
        pilots,
        inbound,
        resolver,
        maxAgeMs: seconds(config.NOTIFY_MAX_AGE_SECONDS),
        logger,
      }),
      log: (entry) => logger.warn(entry),
    });
    await consumer.start();
    stopFirst(['event consumer', () => consumer.stop()]);

    const app = createNotificationsApp({
      notifications,
      preferences,
      ...mail,
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
      },
      (error) => logger.warn({ err: error }, 'a gauge could not be sampled'),
    );

    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.PORT, config.HOST, (error?: Error) =>
        error ? reject(error) : resolve(listening),
      );
    });
    const { port } = server.address() as AddressInfo;
    logger.info({ port, topics: notificationTopics(config) }, 'notifications service listening');
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
