/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read JSON answers field by field, as a client would. */
import { randomUUID } from 'node:crypto';
import type {
  AnyEnvelope,
  MilestonePlan,
  PilotStage,
  SubmissionReceipt,
  SubmittedApplication,
} from '@s3p/contracts';
import { applicationEvents, lifecycleEvents, validateEvent } from '@s3p/contracts';
import { createKafka, EventPublisher, newEvent } from '@s3p/messaging';
import { loadConfig } from '@s3p/service-kit';
import { isolation, startTestIssuer, stackEndpoints } from '@s3p/testkit';
import type { Consumer } from 'kafkajs';
import pino from 'pino';
import type { ReportingService } from '../src';
import { reportingConfig, startReportingService } from '../src';

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

export interface TestReporting {
  service: ReportingService;
  as(sub: string, roles: string[], region?: string): Promise<Caller>;
  /** Sends raw bytes, as a file upload does. */
  upload(as: { sub: string; region: string }, path: string, type: string, content: Buffer): Promise<Answer>;
  /** Publishes events as their owning services would, on their topics. */
  publish(topic: 'applications' | 'lifecycle', ...events: AnyEnvelope[]): Promise<void>;
  /** `reporting.events` from its beginning. */
  tap(): Promise<Wire>;
  stop(): Promise<void>;
}

/** The reporting service on the real stack, with a test issuer for people's tokens. */
export async function startTestReporting(
  label: string,
  environment: Record<string, string> = {},
): Promise<TestReporting> {
  const names = isolation(label);
  const endpoints = stackEndpoints();
  const issuer = await startTestIssuer();
  const config = loadConfig(reportingConfig, {
    PORT: '0',
    MONGODB_URI: names.mongoUri,
    KAFKA_BROKERS: endpoints.KAFKA_BROKERS,
    TOPIC_PREFIX: names.topicPrefix,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
    ...environment,
  });
  const service = await startReportingService(config, pino({ level: 'warn' }));
  const kafka = createKafka({ brokers: endpoints.KAFKA_BROKERS.split(','), clientId: 'reporting-test' });
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
    as,
    upload: async ({ sub, region }, path, type, content) => {
      const token = await issuer.token({ sub, roles: ['region'], region }, { expiresIn: '30m' });
      const response = await fetch(`${service.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        body: content,
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : {} };
    },
    publish: (topic, ...events) => publisher.publish(`${names.topicPrefix}${topic}.events`, events),
    tap: async () => {
      const consumer: Consumer = kafka.consumer({ groupId: `${names.topicPrefix}tap-${randomUUID()}` });
      const wire: Wire = {
        events: [],
        invalid: [],
        of: (subject, type) => wire.events.filter((e) => e.subject === subject && (!type || e.type === type)),
        stop: () => consumer.disconnect(),
      };
      await consumer.connect();
      await consumer.subscribe({ topic: `${names.topicPrefix}reporting.events`, fromBeginning: true });
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
      await publisher.disconnect();
      await issuer.close();
    },
  };
}

const dayIn = (days: number) => new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

/** A submitted application of region BG41 with this work plan, as the applications service publishes it. */
export function submitted(pilotId: string, workPlan: MilestonePlan[], version = 1): AnyEnvelope {
  const application: SubmittedApplication = {
    id: pilotId,
    callId: 'call-test',
    pilotType: 'industrial-transition',
    region: 'BG41',
    partners: [],
    title: 'Smart manufacturing transition',
    s3Strategy: {
      contextAnalysis: 'Manufacturing employs a third of the workforce.',
      governance: 'A regional innovation council.',
      sharedVision: 'A low-carbon manufacturing region by 2030.',
      priorities: 'Advanced manufacturing and the circular economy.',
      policyMix: 'Vouchers, skills academies and an investment fund.',
      monitoring: 'Yearly indicators reviewed by the council.',
    },
    priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
    requestedSupport: ['skills'],
    supportDescription: 'Experts to help design the skills academy.',
    budget: { total: 400_000_00, requested: 200_000_00 },
    workPlan,
  };
  const receipt: SubmissionReceipt = {
    applicationId: pilotId,
    submissionVersion: version,
    contentHash: 'a'.repeat(64),
    submittedAt: new Date().toISOString(),
  };
  return newEvent(applicationEvents.submitted, {
    source: 'applications',
    subject: pilotId,
    actor: { kind: 'user', sub: 'region-bg41', roles: ['region'] },
    data: { application, receipt },
  });
}

/** A work plan: one milestone due in each of the given numbers of days (negative: already past). */
export const workPlanDueIn = (...days: number[]): MilestonePlan[] =>
  days.map((d, i) => ({
    title: `Milestone ${i + 1}`,
    dueDate: dayIn(d),
    deliverables: [`Deliverable ${i + 1}`],
  }));

/** The lifecycle's word that the pilot changed stage. */
export const stageChanged = (
  pilotId: string,
  sequence: number,
  from: PilotStage | null,
  to: PilotStage,
): AnyEnvelope =>
  newEvent(lifecycleEvents.stageChanged, {
    source: 'lifecycle',
    subject: pilotId,
    actor: { kind: 'system', name: 'lifecycle' },
    data: {
      pilotId,
      callId: 'call-test',
      pilotType: 'industrial-transition',
      region: 'BG41',
      partners: ['EL30'],
      sequence,
      from,
      to,
      reason: `to ${to}`,
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
