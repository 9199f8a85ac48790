import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyEnvelope } from '@s3p/contracts';
import { createKafka, EventPublisher } from '@s3p/messaging';
import { loadConfig } from '@s3p/service-kit';
import type { Isolation, Mailpit, Message, MessageSummary } from '@s3p/testkit';
import { isolation, mailpit, stackEndpoints, startTestIssuer } from '@s3p/testkit';
import type { Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import type { NotificationsService } from '../src';
import { notificationsConfig, startNotificationsService } from '../src';
import type { DirectoryUser } from '../src/domain/recipients';
import type { NotificationDocument } from '../src/store/notifications';

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export type Caller = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Answer<T>>;

/** A notice as the inbox shows it. */
export interface NoticeView {
  id: string;
  kind: string;
  mandatory: boolean;
  subject: string;
  body: string;
  link: string;
  pilotId?: string;
  read: boolean;
  readAt?: string;
  createdAt: string;
  email: { status: string; sentAt?: string };
}

export interface Inbox {
  items: NoticeView[];
  unreadCount: number;
  nextCursor?: string;
}

export interface PreferencesView {
  email: string;
  language: string;
  timeZone: string;
  kinds: Record<string, string>;
  mandatory: string[];
  version: number;
}

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** The people of the tests: a few of each role, regions of several member states. */
export const people: DirectoryUser[] = [
  { username: 'manager', roles: ['programme-manager'] },
  { username: 'approver1', roles: ['approver'] },
  { username: 'auditor', roles: ['auditor'] },
  { username: 'reviewer1', roles: ['reviewer'], country: 'NL' },
  { username: 'reviewer2', roles: ['reviewer'], country: 'AT' },
  { username: 'expert04', roles: ['expert'], country: 'SE' },
  { username: 'expert24', roles: ['expert'], country: 'BG' },
  { username: 'region-bg41', roles: ['region'], region: 'BG41', country: 'BG' },
  { username: 'region-bg42', roles: ['region'], region: 'BG42', country: 'BG' },
  { username: 'region-el30', roles: ['region'], region: 'EL30', country: 'GR' },
  { username: 'region-se33', roles: ['region'], region: 'SE33', country: 'SE' },
  { username: 'region-pl91', roles: ['region'], region: 'PL91', country: 'PL' },
];

/** The directory as the portal serves it (`GET /api/auth/demo-users`); a test can take it down. */
export interface TestDirectory {
  url: string;
  /** Answers 503 while down. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

async function startDirectory(users: DirectoryUser[], downAtFirst: boolean): Promise<TestDirectory> {
  let down = downAtFirst;
  const server: Server = createServer((_req, res) => {
    res.statusCode = down ? 503 : 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(down ? { title: 'Service Unavailable' } : users));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/auth/demo-users`,
    setDown: (value) => {
      down = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface TestNotifications {
  service: NotificationsService;
  names: Isolation;
  directory: TestDirectory;
  /** The service's own database, to look at what the API does not show (mail attempts). */
  db: Db;
  mailpit: Mailpit;
  /** A person's default address in this test file's mail domain. */
  addressOf(sub: string): string;
  /** The Message-ID (without brackets) of a notice's mail. */
  messageIdOf(notificationId: string): string;
  /** The mail of this test file whose subject contains every one of `parts` (Mailpit's search), each in full. */
  mailsAbout(...parts: string[]): Promise<Message[]>;
  /** Waits until `count` mails of this file whose subject contains every one of `parts` have arrived. */
  waitForMails(parts: string | string[], count: number, timeoutMs?: number): Promise<Message[]>;
  as(sub: string, roles: string[], claims?: { region?: string; country?: string }): Promise<Caller>;
  /** Publishes events as their owning services would, on their topics. */
  publish(
    topic: 'calls' | 'applications' | 'lifecycle' | 'experts' | 'reporting',
    ...events: AnyEnvelope[]
  ): Promise<void>;
  notificationsOf(recipient: string): Promise<NotificationDocument[]>;
  stop(): Promise<void>;
}

/** The notifications service on the real stack (Kafka, FerretDB, Mailpit), with a test issuer and directory. */
export async function startTestNotifications(
  label: string,
  environment: Record<string, string> = {},
  options: { directoryDown?: boolean; names?: Isolation } = {},
): Promise<TestNotifications> {
  // Given the names of an earlier run: the same database, topics and consumer group, as after a restart.
  const names = options.names ?? isolation(label);
  const endpoints = stackEndpoints();
  const issuer = await startTestIssuer();
  const directory = await startDirectory(people, options.directoryDown ?? false);
  const messageIdDomain = `notifications.${names.mailDomain}`;
  const config = loadConfig(notificationsConfig, {
    PORT: '0',
    MONGODB_URI: names.mongoUri,
    KAFKA_BROKERS: endpoints.KAFKA_BROKERS,
    TOPIC_PREFIX: names.topicPrefix,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
    DIRECTORY_URL: directory.url,
    DIRECTORY_REFRESH_SECONDS: '0.2',
    SMTP_URL: endpoints.SMTP_URL,
    SMTP_TIMEOUT_SECONDS: '5',
    MAIL_USER_DOMAIN: names.mailDomain,
    MAIL_MESSAGE_ID_DOMAIN: messageIdDomain,
    PORTAL_URL: 'https://portal.s3p.test',
    RETRY_BASE_SECONDS: '0.2',
    RETRY_MAX_SECONDS: '1',
    DIGEST_PERIOD_SECONDS: '3600',
    DIGEST_CHECK_SECONDS: '0.5',
    ...environment,
  });
  const service = await startNotificationsService(config, pino({ level: 'warn' }));
  const kafka = createKafka({ brokers: endpoints.KAFKA_BROKERS.split(','), clientId: 'notifications-test' });
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const mongo = await MongoClient.connect(names.mongoUri);
  const db = mongo.db(names.database);
  const mail = mailpit(endpoints.MAILPIT_URL);
  const ofThisFile = (parts: string[]) =>
    [`to:@${names.mailDomain}`, ...parts.map((part) => `subject:"${part}"`)].join(' ');
  const inFull = (found: MessageSummary[]) => Promise.all(found.map((m) => mail.message(m.id)));

  return {
    service,
    names,
    directory,
    db,
    mailpit: mail,
    addressOf: (sub) => `${sub}@${names.mailDomain}`,
    messageIdOf: (id) => `${id}@${messageIdDomain}`,
    mailsAbout: async (...parts) => inFull(await mail.messages(ofThisFile(parts))),
    waitForMails: async (parts, count, timeoutMs = 20_000) =>
      inFull(
        await mail.waitForMessages(() => true, timeoutMs, {
          search: ofThisFile(typeof parts === 'string' ? [parts] : parts),
          count,
        }),
      ),
    as: async (sub, roles, claims = {}) => {
      const token = await issuer.token({ sub, roles, ...claims }, { expiresIn: '30m' });
      return async <T>(
        method: string,
        path: string,
        body?: unknown,
        headers: Record<string, string> = {},
      ) => {
        const response = await fetch(`${service.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return {
          status: response.status,
          body: (text ? JSON.parse(text) : {}) as T,
          headers: response.headers,
        };
      };
    },
    publish: (topic, ...events) => publisher.publish(`${names.topicPrefix}${topic}.events`, events),
    notificationsOf: (recipient) =>
      db.collection<NotificationDocument>('notifications').find({ recipient }).toArray(),
    stop: async () => {
      await service.stop();
      await publisher.disconnect();
      await mongo.close();
      await directory.close();
      await issuer.close();
    },
  };
}

export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** The region users' claims, as the portal's tokens carry them. */
export const regionClaims = (region: string) => {
  const person = people.find((p) => p.region === region);
  return { region, ...(person?.country ? { country: person.country } : {}) };
};
