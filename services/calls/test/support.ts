import { randomUUID } from 'node:crypto';
import type { AnyEnvelope } from '@s3p/contracts';
import { validateEvent } from '@s3p/contracts';
import { createKafka } from '@s3p/messaging';
import { loadConfig } from '@s3p/service-kit';
import type { TestIssuer } from '@s3p/testkit';
import { isolation, startTestIssuer, stackEndpoints } from '@s3p/testkit';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Consumer } from 'kafkajs';
import pino from 'pino';
import type { CallsService } from '../src';
import { callsConfig, startCallsService } from '../src';

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

export interface TestCalls {
  service: CallsService;
  issuer: TestIssuer;
  topic: string;
  taskQueue: string;
  /** The service's own database, for tests that look under it. */
  mongoUri: string;
  temporal: Client;
  as(sub: string, roles: string[], region?: string): Promise<Caller>;
  tap(): Promise<Wire>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** The calls service on the real stack, with its own database, topic and task queue, and real tokens. */
export async function startTestCalls(label: string): Promise<TestCalls> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const names = isolation(label);
  const endpoints = stackEndpoints();
  const issuer = await startTestIssuer();
  const config = loadConfig(callsConfig, {
    PORT: '0',
    MONGODB_URI: names.mongoUri,
    KAFKA_BROKERS: endpoints.KAFKA_BROKERS,
    TOPIC_PREFIX: names.topicPrefix,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
    TEMPORAL_ADDRESS: endpoints.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: endpoints.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: names.taskQueue,
  });
  const service = await startCallsService(config, pino({ level: 'warn' }));
  const connection = await Connection.connect({ address: endpoints.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: endpoints.TEMPORAL_NAMESPACE });
  const topic = `${names.topicPrefix}calls.events`;
  const taps: Wire[] = [];

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
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: (text ? JSON.parse(text) : {}) as T,
      };
    };
  };

  const tap = async (): Promise<Wire> => {
    const kafka = createKafka({ brokers: endpoints.KAFKA_BROKERS.split(','), clientId: 'calls-test-tap' });
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
        let checked;
        try {
          checked = validateEvent(JSON.parse(value));
        } catch {
          wire.invalid.push(value);
          return;
        }
        if (checked.ok) wire.events.push(checked.event);
        else wire.invalid.push(`${checked.reason} ${JSON.stringify(checked.issues)}`);
      },
    });
    taps.push(wire);
    return wire;
  };

  return {
    service,
    issuer,
    topic,
    taskQueue: names.taskQueue,
    mongoUri: names.mongoUri,
    temporal,
    as,
    tap,
    stop: async () => {
      for (const wire of taps) await wire.stop();
      await service.stop();
      // Timers of calls the tests left open would otherwise wait on a task queue nobody polls.
      const running = temporal.workflow.list({
        query: `TaskQueue = '${names.taskQueue}' AND ExecutionStatus = 'Running'`,
      });
      for await (const workflow of running) {
        await temporal.workflow
          .getHandle(workflow.workflowId)
          .terminate('test finished')
          .catch(() => undefined);
      }
      await connection.close();
      await issuer.close();
    },
  };
}

const day = 24 * 60 * 60 * 1000;
export const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
export const inDays = (days: number) => new Date(Date.now() + days * day).toISOString();

/** A complete call draft: an industrial-transition pilot, opening a minute ago unless told otherwise. */
export function callDraft(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pilotType: 'industrial-transition',
    title: `Industrial transition ${randomUUID().slice(0, 6)}`,
    summary: 'Tailored support for regions in industrial transition.',
    eligibility: { countries: ['BG', 'GR', 'PL'], minPartners: 0, maxPartners: 0, minCountries: 1 },
    prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
    criteria: [
      { id: 'relevance', name: 'Relevance', weight: 50, maxScore: 5 },
      { id: 'quality', name: 'Quality', weight: 50, maxScore: 5 },
    ],
    passThreshold: 60,
    reviewersPerApplication: 2,
    totalBudget: 1_000_000,
    perApplicationCeiling: 300_000,
    opensAt: inSeconds(-60),
    closesAt: inDays(30),
    ...overrides,
  };
}

export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
