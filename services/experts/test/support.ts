/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read JSON answers field by field, as a client would. */
import { randomUUID } from 'node:crypto';
import type { AnyEnvelope, PriorityDomain, SupportArea } from '@s3p/contracts';
import { lifecycleEvents, validateEvent } from '@s3p/contracts';
import { createKafka, EventPublisher, newEvent } from '@s3p/messaging';
import { loadConfig } from '@s3p/service-kit';
import { isolation, startTestIssuer, stackEndpoints } from '@s3p/testkit';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Consumer } from 'kafkajs';
import pino from 'pino';
import type { ExpertsService } from '../src';
import { expertsConfig, startExpertsService } from '../src';

export interface Answer<T = Record<string, any>> {
  status: number;
  body: T;
}

export type Caller = <T = Record<string, any>>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<Answer<T>>;

export interface Wire {
  events: AnyEnvelope[];
  invalid: string[];
  of(subject: string, type?: string): AnyEnvelope[];
  stop(): Promise<void>;
}

export interface TestExperts {
  service: ExpertsService;
  temporal: Client;
  taskQueue: string;
  as(sub: string, roles: string[], region?: string): Promise<Caller>;
  /** Publishes the lifecycle's events, on its topic. */
  publishLifecycle(...events: AnyEnvelope[]): Promise<void>;
  /** `experts.events` from its beginning. */
  tap(): Promise<Wire>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** The experts service on the real stack, with a test issuer for people's tokens. */
export async function startTestExperts(
  label: string,
  environment: Record<string, string> = {},
): Promise<TestExperts> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const names = isolation(label);
  const endpoints = stackEndpoints();
  const issuer = await startTestIssuer();
  const config = loadConfig(expertsConfig, {
    PORT: '0',
    MONGODB_URI: names.mongoUri,
    KAFKA_BROKERS: endpoints.KAFKA_BROKERS,
    TOPIC_PREFIX: names.topicPrefix,
    TEMPORAL_ADDRESS: endpoints.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: endpoints.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: names.taskQueue,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
    ...environment,
  });
  const service = await startExpertsService(config, pino({ level: 'warn' }));
  const connection = await Connection.connect({ address: endpoints.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: endpoints.TEMPORAL_NAMESPACE });
  const kafka = createKafka({ brokers: endpoints.KAFKA_BROKERS.split(','), clientId: 'experts-test' });
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const taps: Wire[] = [];

  const as = async (sub: string, roles: string[], region?: string): Promise<Caller> => {
    const token = await issuer.token({ sub, roles, ...(region ? { region } : {}) }, { expiresIn: '30m' });
    return async <T>(method: string, path: string, body?: unknown) => {
      const response = await fetch(`${service.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
    };
  };

  return {
    service,
    temporal,
    taskQueue: names.taskQueue,
    as,
    publishLifecycle: (...events) => publisher.publish(`${names.topicPrefix}lifecycle.events`, events),
    tap: async () => {
      const consumer: Consumer = kafka.consumer({ groupId: `${names.topicPrefix}tap-${randomUUID()}` });
      const wire: Wire = {
        events: [],
        invalid: [],
        of: (subject, type) => wire.events.filter((e) => e.subject === subject && (!type || e.type === type)),
        stop: () => consumer.disconnect(),
      };
      await consumer.connect();
      await consumer.subscribe({ topic: `${names.topicPrefix}experts.events`, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const checked = validateEvent(JSON.parse(message.value?.toString('utf8') ?? ''));
          if (checked.ok) wire.events.push(checked.event);
          else wire.invalid.push(`${checked.reason} ${JSON.stringify(checked.issues)}`);
        },
      });
      taps.push(wire);
      return wire;
    },
    stop: async () => {
      for (const wire of taps) await wire.stop();
      await service.stop();
      const running = temporal.workflow.list({
        query: `TaskQueue = '${names.taskQueue}' AND ExecutionStatus = 'Running'`,
      });
      for await (const workflow of running) {
        await temporal.workflow
          .getHandle(workflow.workflowId)
          .terminate('test finished')
          .catch(() => undefined);
      }
      await publisher.disconnect();
      await connection.close();
      await issuer.close();
    },
  };
}

export interface Approval {
  pilotId: string;
  region?: string;
  partners?: string[];
  countries?: string[];
  priorityDomains?: PriorityDomain[];
  requestedSupport?: SupportArea[];
  expertTeamSize?: number;
}

/** `pilot.approved` as the lifecycle publishes it (version 2). */
export const pilotApproved = (approval: Approval): AnyEnvelope =>
  newEvent(lifecycleEvents.pilotApprovedV2, {
    source: 'lifecycle',
    subject: approval.pilotId,
    actor: { kind: 'user', sub: 'approver1', roles: ['approver'] },
    data: {
      pilotId: approval.pilotId,
      callId: 'call-test',
      pilotType: 'industrial-transition',
      region: approval.region ?? 'BG41',
      partners: approval.partners ?? [],
      countries: (approval.countries ?? ['BG']) as never,
      priorityDomains: approval.priorityDomains ?? [{ kind: 'economic', naceSection: 'C' }],
      requestedSupport: approval.requestedSupport ?? ['skills'],
      expertTeamSize: approval.expertTeamSize ?? 2,
      amount: 100_000_00,
      approvedAt: new Date().toISOString(),
    },
  });

/** The lifecycle's word that a pilot ended. */
export const pilotClosed = (pilotId: string): AnyEnvelope =>
  newEvent(lifecycleEvents.stageChanged, {
    source: 'lifecycle',
    subject: pilotId,
    actor: { kind: 'system', name: 'lifecycle' },
    data: {
      pilotId,
      callId: 'call-test',
      pilotType: 'industrial-transition',
      region: 'BG41',
      partners: [],
      sequence: 9,
      from: 'final-report',
      to: 'closed',
      reason: 'final report accepted',
    },
  });

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

export const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Registers an expert whose id is unique to the test (its `id` field is the prefix), and answers that id. */
export async function registerExpert(as: Caller, fields: Record<string, unknown>): Promise<string> {
  const id = uniqueId(String(fields.id ?? 'expert'));
  const answer = await as('POST', '/api/experts', {
    name: `Expert ${id}`,
    country: 'ES',
    languages: ['en'],
    supportAreas: ['skills'],
    capacity: 2,
    ...fields,
    id,
  });
  if (answer.status !== 201) throw new Error(`expert ${id} not registered: ${JSON.stringify(answer)}`);
  return id;
}
