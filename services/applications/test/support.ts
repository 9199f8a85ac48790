import { randomUUID } from 'node:crypto';
import type { AnyEnvelope } from '@s3p/contracts';
import { validateEvent } from '@s3p/contracts';
import { createKafka, EventPublisher } from '@s3p/messaging';
import { loadConfig } from '@s3p/service-kit';
import type { TestIssuer } from '@s3p/testkit';
import { isolation, startTestIssuer, stackEndpoints } from '@s3p/testkit';
import type { Consumer, Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import type { ApplicationsService } from '../src';
import { applicationsConfig, startApplicationsService } from '../src';

export * from './fixtures';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export type Caller = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Answer<T>>;

/** What a topic carried, read from its beginning by a group of its own, each message validated. */
export interface Wire {
  events: AnyEnvelope[];
  invalid: string[];
  of(subject: string): AnyEnvelope[];
  stop(): Promise<void>;
}

export interface TestApplications {
  service: ApplicationsService;
  issuer: TestIssuer;
  kafka: Kafka;
  topicPrefix: string;
  /** The topic the service projects calls from, fed here as the calls service would. */
  callsTopic: string;
  applicationsTopic: string;
  /** The topic the lifecycle service reports stage changes on, fed here as it would. */
  lifecycleTopic: string;
  group: string;
  as(sub: string, roles: string[], region?: string): Promise<Caller>;
  /** A region's user. */
  region(code: string): Promise<Caller>;
  /** Publishes events of the calls contract on the calls topic, in order. */
  publish(...events: AnyEnvelope[]): Promise<void>;
  /** Publishes events of the lifecycle contract on the lifecycle topic, in order. */
  publishLifecycle(...events: AnyEnvelope[]): Promise<void>;
  /** Resolves once the service's consumer group has handled these events (looked up in its database). */
  consumed(...events: AnyEnvelope[]): Promise<void>;
  tap(topic: string): Promise<Wire>;
  stop(): Promise<void>;
}

/** The applications service on the real stack, with its own database and topics, and real tokens. */
export async function startTestApplications(label: string): Promise<TestApplications> {
  const names = isolation(label);
  const endpoints = stackEndpoints();
  const issuer = await startTestIssuer();
  const config = loadConfig(applicationsConfig, {
    PORT: '0',
    MONGODB_URI: names.mongoUri,
    KAFKA_BROKERS: endpoints.KAFKA_BROKERS,
    TOPIC_PREFIX: names.topicPrefix,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
  });
  const service = await startApplicationsService(config, pino({ level: 'error' }));
  const kafka = createKafka({ brokers: endpoints.KAFKA_BROKERS.split(','), clientId: 'applications-test' });
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const callsTopic = `${names.topicPrefix}calls.events`;
  const lifecycleTopic = `${names.topicPrefix}lifecycle.events`;
  const group = `${names.topicPrefix}applications`;
  const taps: Wire[] = [];
  const mongo = await MongoClient.connect(names.mongoUri);
  const processed = mongo.db().collection<{ _id: string }>('processed_events');

  const as = async (sub: string, roles: string[], region?: string): Promise<Caller> => {
    const token = await issuer.token({ sub, roles, ...(region ? { region } : {}) });
    return async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${service.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: (text ? JSON.parse(text) : {}) as T,
      };
    };
  };

  const tap = async (topic: string): Promise<Wire> => {
    const consumer: Consumer = kafka.consumer({ groupId: `${names.topicPrefix}tap-${randomUUID()}` });
    const wire: Wire = {
      events: [],
      invalid: [],
      of: (subject) => wire.events.filter((e) => e.subject === subject),
      stop: () => consumer.disconnect(),
    };
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value?.toString('utf8') ?? '';
        let raw: unknown;
        try {
          raw = JSON.parse(value);
        } catch {
          wire.invalid.push(value);
          return;
        }
        const checked = validateEvent(raw);
        if (checked.ok) wire.events.push(checked.event);
        else wire.invalid.push(value);
      },
    });
    taps.push(wire);
    return wire;
  };

  return {
    service,
    issuer,
    kafka,
    topicPrefix: names.topicPrefix,
    callsTopic,
    applicationsTopic: `${names.topicPrefix}applications.events`,
    lifecycleTopic,
    group,
    as,
    region: (code) => as(`region-${code.toLowerCase()}`, ['region'], code),
    publish: (...events) => publisher.publish(callsTopic, events),
    publishLifecycle: (...events) => publisher.publish(lifecycleTopic, events),
    consumed: async (...events) => {
      const ids = events.map((e) => `${group}:${e.id}`);
      await eventually(
        async () => (await processed.countDocuments({ _id: { $in: ids } })) === ids.length,
        `the service to consume ${events.map((e) => e.type).join(', ')}`,
      );
    },
    tap,
    stop: async () => {
      for (const wire of taps) await wire.stop();
      await publisher.disconnect();
      await mongo.close();
      await service.stop();
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
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export type Resource = { id: string; status: string; version: number } & Record<string, unknown>;

/** The projection learns of calls from Kafka: drafts until the call has reached it. */
export function draftWhenOpen(caller: Caller, body: Record<string, unknown>): Promise<Answer<Resource>> {
  return eventually(async () => {
    const answer = await caller<Resource>('POST', '/api/applications', body);
    return answer.status === 201 ? answer : undefined;
  }, 'the call to reach the applications service');
}
