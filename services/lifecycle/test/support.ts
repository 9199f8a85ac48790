/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read JSON answers field by field, as a client would. */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { AnyEnvelope, SubmissionReceipt, SubmittedApplication } from '@s3p/contracts';
import { applicationEvents, expertEvents, reportingEvents, validateEvent } from '@s3p/contracts';
import type { CallsService } from '@s3p/calls';
import { callsConfig, startCallsService } from '@s3p/calls';
import { createKafka, EventPublisher, newEvent } from '@s3p/messaging';
import { loadConfig } from '@s3p/service-kit';
import type { TestIssuer } from '@s3p/testkit';
import { isolation, startTestIssuer, stackEndpoints } from '@s3p/testkit';
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Consumer } from 'kafkajs';
import pino from 'pino';
import type { LifecycleService } from '../src';
import { lifecycleConfig, startLifecycleService } from '../src';

export interface Answer<T = Record<string, unknown>> {
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

export interface TestLifecycle {
  service: LifecycleService;
  calls: CallsService;
  temporal: Client;
  taskQueue: string;
  mongoUri: string;
  /** The lifecycle service's environment, for a test that runs it as a process of its own. */
  environment: Record<string, string>;
  /** Calls the lifecycle service as this user. */
  as(sub: string, roles: string[], region?: string): Promise<Caller>;
  /** Calls the calls service as this user. */
  callsAs(sub: string, roles: string[]): Promise<Caller>;
  /** Publishes events as their owning services would, on their topics. */
  publish(topic: 'applications' | 'experts' | 'reporting', ...events: AnyEnvelope[]): Promise<void>;
  tap(): Promise<Wire>;
  /** Starts the lifecycle service again (after `stopLifecycle`), on the same database and queue. */
  restartLifecycle(): Promise<void>;
  stopLifecycle(): Promise<void>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * The lifecycle service on the real stack, beside a real calls service (the budget is reserved
 * there), with a test issuer for people's tokens and a client-credentials endpoint for the
 * lifecycle's own.
 */
export async function startTestLifecycle(
  label: string,
  environment: Record<string, string> = {},
): Promise<TestLifecycle> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const names = isolation(label);
  const callNames = isolation(`${label}-calls`);
  const endpoints = stackEndpoints();
  const issuer = await startTestIssuer();
  const tokenServer = await startClientCredentials(issuer);
  const auth = { AUTH_JWKS_URL: issuer.jwksUrl, AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: issuer.audience };
  const temporalEnv = {
    TEMPORAL_ADDRESS: endpoints.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: endpoints.TEMPORAL_NAMESPACE,
  };
  const calls = await startCallsService(
    loadConfig(callsConfig, {
      PORT: '0',
      MONGODB_URI: callNames.mongoUri,
      KAFKA_BROKERS: endpoints.KAFKA_BROKERS,
      TOPIC_PREFIX: callNames.topicPrefix,
      TEMPORAL_TASK_QUEUE: callNames.taskQueue,
      ...auth,
      ...temporalEnv,
    }),
    pino({ level: 'warn' }),
  );
  const lifecycleEnvironment: Record<string, string> = {
    PORT: '0',
    MONGODB_URI: names.mongoUri,
    KAFKA_BROKERS: endpoints.KAFKA_BROKERS,
    TOPIC_PREFIX: names.topicPrefix,
    TEMPORAL_TASK_QUEUE: names.taskQueue,
    CALLS_URL: calls.url,
    AUTH_TOKEN_URL: tokenServer.url,
    AUTH_CLIENT_ID: 'lifecycle',
    AUTH_CLIENT_SECRET: 'a-test-secret-of-enough-length',
    ...auth,
    ...temporalEnv,
    ...environment,
  };
  const config = loadConfig(lifecycleConfig, lifecycleEnvironment);
  let service: LifecycleService | undefined = await startLifecycleService(config, pino({ level: 'warn' }));
  const connection = await Connection.connect({ address: endpoints.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: endpoints.TEMPORAL_NAMESPACE });
  const kafka = createKafka({ brokers: endpoints.KAFKA_BROKERS.split(','), clientId: 'lifecycle-test' });
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const taps: Wire[] = [];

  const caller =
    (baseUrl: () => string, token: string): Caller =>
    async <T>(method: string, path: string, body?: unknown) => {
      const response = await fetch(`${baseUrl()}${path}`, {
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
  const tokenOf = (sub: string, roles: string[], region?: string) =>
    issuer.token({ sub, roles, ...(region ? { region } : {}) }, { expiresIn: '30m' });

  const lifecycle: TestLifecycle = {
    get service() {
      if (!service) throw new Error('the lifecycle service is stopped');
      return service;
    },
    calls,
    temporal,
    taskQueue: names.taskQueue,
    mongoUri: names.mongoUri,
    environment: lifecycleEnvironment,
    as: async (sub, roles, region) => caller(() => lifecycle.service.url, await tokenOf(sub, roles, region)),
    callsAs: async (sub, roles) => caller(() => calls.url, await tokenOf(sub, roles)),
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
      await consumer.subscribe({ topic: `${names.topicPrefix}lifecycle.events`, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const value = message.value?.toString('utf8') ?? '';
          const checked = validateEvent(JSON.parse(value));
          if (checked.ok) wire.events.push(checked.event);
          else wire.invalid.push(`${checked.reason} ${JSON.stringify(checked.issues)}`);
        },
      });
      taps.push(wire);
      return wire;
    },
    stopLifecycle: async () => {
      await service?.stop();
      service = undefined;
    },
    restartLifecycle: async () => {
      service = await startLifecycleService({ ...config }, pino({ level: 'warn' }));
    },
    stop: async () => {
      for (const wire of taps) await wire.stop();
      const tag = process.env.RECORD_HISTORIES;
      if (tag) await recordHistories(temporal, names.taskQueue, `${tag}-${label}`);
      await service?.stop();
      await calls.stop();
      for (const queue of [names.taskQueue, callNames.taskQueue]) {
        const running = temporal.workflow.list({
          query: `TaskQueue = '${queue}' AND ExecutionStatus = 'Running'`,
        });
        for await (const workflow of running) {
          await temporal.workflow
            .getHandle(workflow.workflowId)
            .terminate('test finished')
            .catch(() => undefined);
        }
      }
      await publisher.disconnect();
      await connection.close();
      await tokenServer.close();
      await issuer.close();
    },
  };
  return lifecycle;
}

/** Where recorded histories are kept, for the replay test to run against the current workflow code. */
export const historiesDir = path.join(__dirname, 'histories');

/**
 * Writes the history of every pilot workflow (every run) the test file ran, named by the tag
 * (`npm run record-histories` uses the date and time), so that recordings accumulate: histories
 * of older code stay, to be replayed by every later version.
 */
async function recordHistories(temporal: Client, taskQueue: string, label: string): Promise<void> {
  mkdirSync(historiesDir, { recursive: true });
  let count = 0;
  for await (const execution of temporal.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
    const history = await temporal.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    count += 1;
    const encoded = proto.api.history.v1.History.encode(history).finish();
    writeFileSync(path.join(historiesDir, `${label}-${String(count).padStart(2, '0')}.history.pb`), encoded);
  }
}

/** An OAuth2 token endpoint that grants the lifecycle's client a `service` token. */
async function startClientCredentials(issuer: TestIssuer) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== 'lifecycle') {
        res.statusCode = 401;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: 'invalid_client' }));
        return;
      }
      void issuer.token({ sub: 'lifecycle', roles: ['service'] }, { expiresIn: '10m' }).then((token) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 600 }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const day = 24 * 60 * 60 * 1000;
export const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
export const inDays = (days: number) => new Date(Date.now() + days * day).toISOString();
export const dayIn = (days: number) => inDays(days).slice(0, 10);

/** A call draft the tests publish on the real calls service. */
export function callDraft(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pilotType: 'industrial-transition',
    title: `Industrial transition ${randomUUID().slice(0, 6)}`,
    summary: 'Tailored support for regions in industrial transition.',
    eligibility: { countries: ['BG', 'GR', 'PL', 'ES'], minPartners: 0, maxPartners: 0, minCountries: 1 },
    prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
    criteria: [
      { id: 'relevance', name: 'Relevance', weight: 60, maxScore: 5 },
      { id: 'quality', name: 'Quality', weight: 40, maxScore: 5 },
    ],
    passThreshold: 60,
    reviewersPerApplication: 2,
    scoreTolerance: 15,
    totalBudget: 1_000_000_00,
    perApplicationCeiling: 300_000_00,
    opensAt: inSeconds(-60),
    closesAt: inDays(30),
    ...overrides,
  };
}

/** Publishes a call on the calls service and answers its id. */
export async function openCall(t: TestLifecycle, overrides: Record<string, unknown> = {}): Promise<string> {
  const manager = await t.callsAs('manager', ['programme-manager']);
  const draft = await manager('POST', '/api/calls', callDraft(overrides));
  if (draft.status !== 201) throw new Error(`call draft refused: ${JSON.stringify(draft.body)}`);
  const id = String(draft.body.id);
  const published = await manager('POST', `/api/calls/${id}/publish`);
  if (published.status !== 200) throw new Error(`publication refused: ${JSON.stringify(published.body)}`);
  return id;
}

const strategy = {
  contextAnalysis: 'Manufacturing employs a third of the workforce and is changing fast.',
  governance: 'A regional innovation council with industry, universities and civil society.',
  sharedVision: 'A low-carbon manufacturing region by 2030.',
  priorities: 'Advanced manufacturing and the circular economy.',
  policyMix: 'Vouchers, skills academies and a regional investment fund.',
  monitoring: 'Yearly indicators reviewed by the council.',
};

/** A submitted application as the applications service freezes it. */
export function submittedApplication(
  callId: string,
  overrides: Partial<SubmittedApplication> = {},
): SubmittedApplication {
  return {
    id: `app-${randomUUID()}`,
    callId,
    pilotType: 'industrial-transition',
    region: 'BG41',
    title: 'Smart manufacturing transition',
    s3Strategy: strategy,
    priorityDomains: [{ kind: 'economic', naceSection: 'C', naceDivision: '29' }],
    requestedSupport: ['innovation-capacity', 'skills'],
    supportDescription: 'Experts to help design the skills academy and the investment fund.',
    budget: { total: 400_000_00, requested: 200_000_00 },
    workPlan: [
      { title: 'Skills academy designed', dueDate: dayIn(120), deliverables: ['Academy plan'] },
      { title: 'Fund launched', dueDate: dayIn(240), deliverables: ['Fund statutes'] },
    ],
    partners: [],
    ...overrides,
  };
}

export function submitted(application: SubmittedApplication, version = 1): AnyEnvelope {
  const receipt: SubmissionReceipt = {
    applicationId: application.id,
    submissionVersion: version,
    contentHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
    submittedAt: new Date().toISOString(),
  };
  return newEvent(applicationEvents.submitted, {
    source: 'applications',
    subject: application.id,
    actor: { kind: 'user', sub: `region-${application.region.toLowerCase()}`, roles: ['region'] },
    data: { application, receipt },
  });
}

export const withdrawn = (applicationId: string): AnyEnvelope =>
  newEvent(applicationEvents.withdrawn, {
    source: 'applications',
    subject: applicationId,
    actor: { kind: 'user', sub: 'region-bg41', roles: ['region'] },
    data: {
      applicationId,
      reason: 'the regional government changed its plans',
      withdrawnAt: new Date().toISOString(),
    },
  });

export const teamAssigned = (pilotId: string, teamId = `team-${randomUUID().slice(0, 8)}`): AnyEnvelope =>
  newEvent(expertEvents.teamAssigned, {
    source: 'experts',
    subject: pilotId,
    actor: { kind: 'system', name: 'team-builder' },
    data: {
      pilotId,
      teamId,
      members: [
        { expertId: 'expert01', country: 'ES', lead: true },
        { expertId: 'expert02', country: 'IT', lead: false },
      ],
      assignedAt: new Date().toISOString(),
    },
  });

export const milestoneVerified = (
  pilotId: string,
  milestone: number,
  verdict: 'accepted' | 'rejected',
): AnyEnvelope =>
  newEvent(reportingEvents.milestoneVerified, {
    source: 'reporting',
    subject: pilotId,
    actor: { kind: 'user', sub: 'auditor', roles: ['auditor'] },
    data: {
      pilotId,
      milestone,
      verdict,
      ...(verdict === 'rejected' ? { note: 'the deliverable is missing' } : {}),
      verifiedAt: new Date().toISOString(),
    },
  });

export const finalReportAccepted = (pilotId: string): AnyEnvelope =>
  newEvent(reportingEvents.finalReportAccepted, {
    source: 'reporting',
    subject: pilotId,
    actor: { kind: 'user', sub: 'auditor', roles: ['auditor'] },
    data: { pilotId, acceptedAt: new Date().toISOString() },
  });

/** Reviewers of the pool, from countries other than the tests' applicants unless told. */
export async function seedReviewers(
  t: TestLifecycle,
  reviewers: { id: string; country: string; conflicts?: { regions?: string[]; countries?: string[] } }[],
): Promise<void> {
  const manager = await t.as('manager', ['programme-manager']);
  for (const reviewer of reviewers) {
    const answer = await manager('PUT', `/api/reviewers/${reviewer.id}`, {
      name: reviewer.id,
      country: reviewer.country,
      conflicts: { regions: [], countries: [], ...reviewer.conflicts },
    });
    if (answer.status >= 300) throw new Error(`reviewer refused: ${JSON.stringify(answer.body)}`);
  }
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

/** Waits until the pilot has its reviewers seated for evaluation. */
export const seated = (t: TestLifecycle, pilotId: string, count = 2) =>
  stageOf(t, pilotId, 'evaluation', 20_000, (pilot) => pilot.pendingTasks.length === count);

/** Waits until the pilot is in this stage, and answers it as the programme manager sees it. */
export async function stageOf(
  t: TestLifecycle,
  pilotId: string,
  stage: string,
  timeoutMs = 20_000,
  also: (pilot: Record<string, any>) => boolean = () => true,
) {
  const manager = await t.as('manager', ['programme-manager']);
  return eventually(
    async () => {
      const answer = await manager('GET', `/api/pilots/${pilotId}`);
      return answer.status === 200 && answer.body.stage === stage && also(answer.body)
        ? answer.body
        : undefined;
    },
    `pilot ${pilotId} in ${stage}`,
    timeoutMs,
  );
}

export const scoresOf = (relevance: number, quality: number) => ({
  scores: [
    { criterionId: 'relevance', score: relevance },
    { criterionId: 'quality', score: quality },
  ],
});

/** Every seated reviewer declares no conflict and scores; answers the pilot after the last review. */
export async function review(
  t: TestLifecycle,
  pilotId: string,
  marks: [number, number][],
): Promise<Record<string, any>> {
  const pilot = await seated(t, pilotId, marks.length);
  const reviewers = (pilot.pendingTasks as { assignee: string }[]).map((task) => task.assignee);
  let last: Record<string, any> = pilot;
  for (const [index, reviewer] of reviewers.entries()) {
    const as = await t.as(reviewer, ['reviewer']);
    const declared = await as('POST', `/api/pilots/${pilotId}/conflicts`, {
      conflict: false,
      statement: 'None.',
    });
    if (declared.status !== 201) throw new Error(`declaration refused: ${JSON.stringify(declared.body)}`);
    const [relevance, quality] = marks[index]!;
    const reviewed = await as('POST', `/api/pilots/${pilotId}/reviews`, scoresOf(relevance, quality));
    if (reviewed.status !== 201) throw new Error(`review refused: ${JSON.stringify(reviewed.body)}`);
    last = reviewed.body;
  }
  return last;
}

/** Submits an application for the call and takes it to the decision stage with good scores. */
export async function toDecision(
  t: TestLifecycle,
  callId: string,
  overrides: Partial<SubmittedApplication> = {},
): Promise<string> {
  const application = submittedApplication(callId, overrides);
  await t.publish('applications', submitted(application));
  await review(t, application.id, [
    [4, 4],
    [4, 4],
  ]);
  await stageOf(t, application.id, 'decision');
  return application.id;
}
