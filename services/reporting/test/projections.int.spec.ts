import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Actor, AnyEnvelope, CallSnapshot, PilotStage, PilotType } from '@s3p/contracts';
import {
  applicationEvents,
  callEvents,
  expertEvents,
  lifecycleEvents,
  reportingEvents,
} from '@s3p/contracts';
import { createKafka, EventPublisher, newEvent } from '@s3p/messaging';
import { ApiDescription, authenticate, createServiceApp, newId, remoteKeys } from '@s3p/service-kit';
import type { Isolation, TestIssuer } from '@s3p/testkit';
import { isolation, stackEndpoints, startTestIssuer } from '@s3p/testkit';
import { Router } from 'express';
import type { Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { reportingTopics } from '../src/config';
import type { Dashboard } from '../src/projections/figures';
import type { OpportunityPage } from '../src/projections/open-data';
import { describeProjectionRoutes } from '../src/projections/projection-api';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { openDataRoutes, projectionRoutes } from '../src/projections/projection-routes';
import { opportunityPage } from '../src/projections/projection-schemas';
import type { ProjectionSnapshot } from '../src/projections/projections';
import { Projections } from '../src/projections/projections';
import { main as rebuildCli } from '../src/projections/rebuild-cli';

jest.setTimeout(120_000);

const endpoints = stackEndpoints();
const kafka = createKafka({ brokers: endpoints.KAFKA_BROKERS.split(','), clientId: 'projections-test' });
const publisher = new EventPublisher(kafka);

/** One isolated copy of the read models: a database, a topic prefix, and the runner that fills them. */
interface Copy {
  names: Isolation;
  client: MongoClient;
  db: Db;
  projections: Projections;
  runner: ProjectionRunner;
  /** What the consumer logged: a dead letter would show here. */
  log: Record<string, unknown>[];
}

async function copyOf(label: string): Promise<Copy> {
  const names = isolation(label);
  const client = await MongoClient.connect(names.mongoUri);
  const db = client.db();
  const projections = new Projections(db);
  await projections.ensureIndexes();
  const log: Record<string, unknown>[] = [];
  const runner = new ProjectionRunner({
    kafka,
    db,
    projections,
    topicPrefix: names.topicPrefix,
    topics: reportingTopics({ TOPIC_PREFIX: names.topicPrefix }).all,
    log: (entry) => log.push(entry),
  });
  return { names, client, db, projections, runner, log };
}

/** Each event on its owner's topic, one by one in the order given. */
async function publish(copy: Copy, events: readonly AnyEnvelope[]): Promise<void> {
  for (const event of events)
    await publisher.publish(`${copy.names.topicPrefix}${event.source}.events`, [event]);
}

// --- the scenario: two calls, four applications ---------------------------------------------------

const dayMs = 24 * 60 * 60 * 1000;
const t0 = Date.UTC(2025, 2, 3, 9);
const on = (days: number) => new Date(t0 + days * dayMs);

const manager: Actor = { kind: 'user', sub: 'manager-1', roles: ['programme-manager'] };
const approver: Actor = { kind: 'user', sub: 'approver-1', roles: ['approver'] };
const auditor: Actor = { kind: 'user', sub: 'auditor-1', roles: ['auditor'] };
const lifecycle: Actor = { kind: 'system', name: 'lifecycle' };
const experts: Actor = { kind: 'system', name: 'experts' };

const now = Date.now();
const callIds = { transition: newId(now), partnership: newId(now + 1) };

interface PilotSetup {
  id: string;
  callId: string;
  pilotType: PilotType;
  region: string;
  partners: string[];
  title: string;
  requested: number;
}

const suffix = newId().slice(-8);
const p1: PilotSetup = {
  id: `pilot-bg-${suffix}`,
  callId: callIds.transition,
  pilotType: 'industrial-transition',
  region: 'BG41',
  partners: [],
  title: 'Smart manufacturing in Yugozapaden',
  requested: 200_000_00,
};
const p2: PilotSetup = {
  ...p1,
  id: `pilot-fr-${suffix}`,
  region: 'FR10',
  title: '=HYPERLINK("http://evil.example","win")',
  requested: 150_000_00,
};
const p3: PilotSetup = {
  ...p1,
  id: `pilot-de-${suffix}`,
  region: 'DE30',
  title: 'Hydrogen valleys',
  requested: 180_000_00,
};
const p4: PilotSetup = {
  id: `pilot-es-${suffix}`,
  callId: callIds.partnership,
  pilotType: 'interregional-partnership',
  region: 'ES51',
  partners: ['PT11'],
  title: 'Atlantic value chains',
  requested: 300_000_00,
};

function call(
  id: string,
  pilotType: PilotType,
  title: string,
  days: { opens: number; closes: number },
): CallSnapshot {
  return {
    id,
    status: 'scheduled',
    pilotType,
    title,
    summary: `${title}: support from the Commission's experts.`,
    eligibility:
      pilotType === 'industrial-transition'
        ? { countries: ['BG', 'DE', 'FR'], minPartners: 0, maxPartners: 0, minCountries: 1 }
        : { countries: ['ES', 'PT'], minPartners: 1, maxPartners: 3, minCountries: 2 },
    prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
    criteria: [{ id: 'quality', name: 'Quality of the strategy', weight: 100, maxScore: 10 }],
    passThreshold: 60,
    reviewersPerApplication: 2,
    expertTeamSize: 2,
    scoreTolerance: 15,
    totalBudget: 1_000_000_00,
    perApplicationCeiling: 300_000_00,
    opensAt: on(days.opens).toISOString(),
    closesAt: on(days.closes).toISOString(),
    committedBudget: 0,
  };
}

const callOrigin = (id: string, days: number) => ({
  source: 'calls',
  subject: id,
  actor: manager,
  occurredAt: on(days),
});

const callsPublished: AnyEnvelope[] = [
  newEvent(callEvents.published, {
    ...callOrigin(callIds.transition, -30),
    data: {
      call: call(callIds.transition, 'industrial-transition', 'Regions in industrial transition', {
        opens: -20,
        closes: -1,
      }),
    },
  }),
  newEvent(callEvents.opened, {
    ...callOrigin(callIds.transition, -20),
    actor: { kind: 'system', name: 'calls' },
    data: { callId: callIds.transition, openedAt: on(-20).toISOString() },
  }),
  newEvent(callEvents.closed, {
    ...callOrigin(callIds.transition, -1),
    actor: { kind: 'system', name: 'calls' },
    data: { callId: callIds.transition, closedAt: on(-1).toISOString(), reason: 'deadline' },
  }),
  newEvent(callEvents.published, {
    ...callOrigin(callIds.partnership, -5),
    data: {
      call: call(callIds.partnership, 'interregional-partnership', 'Interregional partnerships', {
        opens: 0,
        closes: 30,
      }),
    },
  }),
  newEvent(callEvents.opened, {
    ...callOrigin(callIds.partnership, 0),
    actor: { kind: 'system', name: 'calls' },
    data: { callId: callIds.partnership, openedAt: on(0).toISOString() },
  }),
];

const regionActor = (pilot: PilotSetup): Actor => ({
  kind: 'user',
  sub: `region-${pilot.region.toLowerCase()}`,
  roles: ['region'],
});

function submitted(pilot: PilotSetup, days: number): AnyEnvelope {
  return newEvent(applicationEvents.submitted, {
    source: 'applications',
    subject: pilot.id,
    actor: regionActor(pilot),
    occurredAt: on(days),
    data: {
      application: {
        id: pilot.id,
        callId: pilot.callId,
        pilotType: pilot.pilotType,
        region: pilot.region,
        partners: pilot.partners,
        title: pilot.title,
        s3Strategy: {
          contextAnalysis: 'Manufacturing employs a third of the workforce.',
          governance: 'A regional innovation council.',
          sharedVision: 'A low-carbon manufacturing region by 2030.',
          priorities: 'Advanced manufacturing.',
          policyMix: 'Vouchers and a skills academy.',
          monitoring: 'Yearly indicators.',
        },
        priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
        requestedSupport: ['skills'],
        supportDescription: 'Experts to help design the skills academy.',
        budget: { total: pilot.requested * 2, requested: pilot.requested },
        workPlan: [],
      },
      receipt: {
        applicationId: pilot.id,
        submissionVersion: 1,
        contentHash: 'a'.repeat(64),
        submittedAt: on(days).toISOString(),
      },
    },
  });
}

/** The pilot's stages, each entered on the day given, numbered from 1. */
function stages(pilot: PilotSetup, path: [PilotStage, number][]): AnyEnvelope[] {
  return path.map(([to, days], i) =>
    newEvent(lifecycleEvents.stageChanged, {
      source: 'lifecycle',
      subject: pilot.id,
      actor: to === 'closed' ? auditor : lifecycle,
      occurredAt: on(days),
      data: {
        pilotId: pilot.id,
        callId: pilot.callId,
        pilotType: pilot.pilotType,
        region: pilot.region,
        partners: pilot.partners,
        sequence: i + 1,
        from: i === 0 ? null : path[i - 1]![0],
        to,
        reason: `to ${to}`,
        ...(to === 'ineligible'
          ? { reasons: [{ rule: 'country', message: 'FR10 is not in a member state of this call' }] }
          : {}),
      },
    }),
  );
}

function decided(pilot: PilotSetup, decision: 'approve' | 'reject', days: number): AnyEnvelope {
  return newEvent(lifecycleEvents.decisionTaken, {
    source: 'lifecycle',
    subject: pilot.id,
    actor: approver,
    occurredAt: on(days),
    data: {
      pilotId: pilot.id,
      approver: 'approver-1',
      decision,
      reasons: `${decision}d on the merits`,
      score: 74,
    },
  });
}

const reportingOrigin = (pilot: PilotSetup, actor: Actor, days: number) => ({
  source: 'reporting',
  subject: pilot.id,
  actor,
  occurredAt: on(days),
});

const reported = (pilot: PilotSetup, milestone: number, days: number) =>
  newEvent(reportingEvents.milestoneReported, {
    ...reportingOrigin(pilot, regionActor(pilot), days),
    data: {
      pilotId: pilot.id,
      milestone,
      reportId: `${pilot.id}-r${milestone}-${days}`,
      summary: 'Delivered as planned.',
      deliverables: ['Skills academy curriculum'],
      files: [],
      reportedAt: on(days).toISOString(),
    },
  });

const verified = (pilot: PilotSetup, milestone: number, verdict: 'accepted' | 'rejected', days: number) =>
  newEvent(reportingEvents.milestoneVerified, {
    ...reportingOrigin(pilot, auditor, days),
    data: {
      pilotId: pilot.id,
      milestone,
      verdict,
      ...(verdict === 'rejected' ? { note: 'add the indicators' } : {}),
      verifiedAt: on(days).toISOString(),
    },
  });

const pilotP1: AnyEnvelope[] = [
  submitted(p1, 0),
  ...stages(p1, [
    ['submitted', 0],
    ['eligibility', 0.01],
    ['evaluation', 2],
    ['decision', 12],
    ['expert-team', 14],
    ['implementation', 20],
    ['final-report', 96],
    ['closed', 110],
  ]),
  newEvent(lifecycleEvents.reviewersAssigned, {
    source: 'lifecycle',
    subject: p1.id,
    actor: lifecycle,
    occurredAt: on(2),
    data: { pilotId: p1.id, reviewers: ['reviewer-7', 'reviewer-9'], dueAt: on(10).toISOString() },
  }),
  newEvent(lifecycleEvents.reviewSubmitted, {
    source: 'lifecycle',
    subject: p1.id,
    actor: { kind: 'user', sub: 'reviewer-7', roles: ['reviewer'] },
    occurredAt: on(9),
    data: { pilotId: p1.id, reviewer: 'reviewer-7', weightedScore: 74, consensus: false },
  }),
  decided(p1, 'approve', 14),
  newEvent(lifecycleEvents.pilotApprovedV2, {
    source: 'lifecycle',
    subject: p1.id,
    actor: approver,
    occurredAt: on(14),
    data: {
      pilotId: p1.id,
      callId: p1.callId,
      pilotType: p1.pilotType,
      region: p1.region,
      partners: [],
      countries: ['BG'],
      priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
      requestedSupport: ['skills'],
      expertTeamSize: 2,
      amount: p1.requested,
      approvedAt: on(14).toISOString(),
    },
  }),
  newEvent(expertEvents.memberInvited, {
    source: 'experts',
    subject: p1.id,
    actor: experts,
    occurredAt: on(15),
    data: {
      pilotId: p1.id,
      teamId: `${p1.id}-team`,
      assignmentId: `${p1.id}-a1`,
      expertId: 'expert-anna',
      lead: true,
      covers: ['support:skills'],
      dueAt: on(22).toISOString(),
    },
  }),
  newEvent(expertEvents.teamAssigned, {
    source: 'experts',
    subject: p1.id,
    actor: experts,
    occurredAt: on(20),
    data: {
      pilotId: p1.id,
      teamId: `${p1.id}-team`,
      members: [{ expertId: 'expert-anna', country: 'IT', lead: true }],
      assignedAt: on(20).toISOString(),
    },
  }),
  reported(p1, 0, 60),
  verified(p1, 0, 'rejected', 62),
  reported(p1, 0, 65),
  verified(p1, 0, 'accepted', 66),
  newEvent(lifecycleEvents.milestoneOverdue, {
    source: 'lifecycle',
    subject: p1.id,
    actor: lifecycle,
    occurredAt: on(90),
    data: { pilotId: p1.id, region: 'BG41', milestone: 1, title: 'Milestone 2', dueDate: '2025-05-31' },
  }),
  reported(p1, 1, 95),
  verified(p1, 1, 'accepted', 96),
  newEvent(reportingEvents.finalReportSubmitted, {
    ...reportingOrigin(p1, regionActor(p1), 100),
    data: {
      pilotId: p1.id,
      reportId: `${p1.id}-final`,
      summary: 'All done.',
      files: [],
      submittedAt: on(100).toISOString(),
    },
  }),
  newEvent(reportingEvents.finalReportAccepted, {
    ...reportingOrigin(p1, auditor, 110),
    data: { pilotId: p1.id, acceptedAt: on(110).toISOString() },
  }),
  newEvent(expertEvents.teamReleased, {
    source: 'experts',
    subject: p1.id,
    actor: experts,
    occurredAt: on(110),
    data: { pilotId: p1.id, teamId: `${p1.id}-team`, reason: 'the pilot is closed' },
  }),
];

const events: AnyEnvelope[] = [
  ...callsPublished,
  ...pilotP1,
  submitted(p2, 1),
  ...stages(p2, [
    ['submitted', 1],
    ['eligibility', 1.01],
    ['ineligible', 3],
  ]),
  submitted(p3, 1),
  ...stages(p3, [
    ['submitted', 1],
    ['eligibility', 1.01],
    ['evaluation', 2],
    ['decision', 9],
    ['rejected', 11],
  ]),
  decided(p3, 'reject', 11),
  submitted(p4, 2),
  ...stages(p4, [
    ['submitted', 2],
    ['eligibility', 2.01],
    ['evaluation', 4],
  ]),
].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));

/** The same events in a random order, a third of them twice. */
function shuffledWithDuplicates(list: readonly AnyEnvelope[]): AnyEnvelope[] {
  const delivered = [...list, ...list.filter((_, i) => i % 3 === 0)];
  for (let i = delivered.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [delivered[i], delivered[j]] = [delivered[j]!, delivered[i]!];
  }
  return delivered;
}

// --- the stack -------------------------------------------------------------------------------------

let inOrder: Copy;
let shuffled: Copy;
let issuer: TestIssuer;
let server: Server;
let base: string;
let reference: ProjectionSnapshot;

beforeAll(async () => {
  await publisher.connect();
  [inOrder, shuffled] = await Promise.all([copyOf('projections-in-order'), copyOf('projections-shuffled')]);
  // The consumers create the topics, which the publisher does not.
  await Promise.all([inOrder.runner.start(), shuffled.runner.start()]);
  await Promise.all([publish(inOrder, events), publish(shuffled, shuffledWithDuplicates(events))]);
  await Promise.all([inOrder.runner.waitUntilCaughtUp(), shuffled.runner.waitUntilCaughtUp()]);
  reference = await inOrder.projections.snapshot();

  issuer = await startTestIssuer();
  const logger = pino({ level: 'silent' });
  const routes = Router();
  routes.use(openDataRoutes({ projections: inOrder.projections }));
  routes.use(
    '/api',
    authenticate({ keys: remoteKeys(issuer.jwksUrl), issuer: issuer.issuer, audience: issuer.audience }),
  );
  routes.use(
    projectionRoutes({
      projections: inOrder.projections,
      rebuildProjections: () => inOrder.runner.rebuild(),
      logger,
    }),
  );
  const { app } = createServiceApp({
    name: 'reporting',
    logger,
    routes,
    api: describeProjectionRoutes(new ApiDescription('S3P reporting', '0.0.0')),
  });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  await issuer?.close();
  for (const copy of [inOrder, shuffled]) {
    if (!copy) continue;
    await copy.runner.stop();
    await copy.db.dropDatabase();
    await copy.client.close();
  }
  await publisher.disconnect();
});

interface Answer<T> {
  status: number;
  type: string;
  text: string;
  json: T;
}

async function get<T = unknown>(
  path: string,
  as?: { sub: string; roles: string[]; region?: string },
  method = 'GET',
): Promise<Answer<T>> {
  const token = as ? await issuer.token(as) : undefined;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text,
    json: (isJson && text ? JSON.parse(text) : undefined) as T,
  };
}

const asAuditor = { sub: 'auditor-1', roles: ['auditor'] };
const asManager = { sub: 'manager-1', roles: ['programme-manager'] };
const asRegion = (region: string) => ({ sub: `region-${region.toLowerCase()}`, roles: ['region'], region });

type Timeline = {
  pilotId: string;
  items: { eventId: string; type: string; occurredAt: string; actor: Actor; summary: string }[];
};

const byTimeThenId = (a: AnyEnvelope, b: AnyEnvelope) =>
  a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id);

describe('the read models', () => {
  it('give each pilot its timeline: every stage, decision, report and verdict, with who and when', async () => {
    const answer = await get<Timeline>(`/api/pilots/${p1.id}/timeline`, asAuditor);
    expect(answer.status).toBe(200);
    const expected = [...pilotP1].sort(byTimeThenId);
    expect(answer.json.items.map((item) => item.eventId)).toEqual(expected.map((e) => e.id));
    expect(answer.json.items.find((item) => item.type === 'lifecycle.decision-taken')).toMatchObject({
      actor: approver,
      occurredAt: on(14).toISOString(),
      summary: 'decision by approver-1: approve',
    });
    expect(
      answer.json.items.filter((item) => item.type === 'milestone.verified').map((item) => item.summary),
    ).toEqual(['milestone 1 rejected', 'milestone 1 accepted', 'milestone 2 accepted']);
  });

  it('show a region its own pilots’ timelines only, without the reviewers’ and invitations’ steps', async () => {
    const own = await get<Timeline>(`/api/pilots/${p1.id}/timeline`, asRegion('BG41'));
    expect(own.status).toBe(200);
    const hidden = ['lifecycle.reviewers-assigned', 'lifecycle.review-submitted', 'expert-team.invited'];
    for (const type of hidden) expect(own.json.items.map((item) => item.type)).not.toContain(type);
    expect(own.json.items).toHaveLength(pilotP1.filter((e) => !hidden.includes(e.type)).length);
    expect(JSON.stringify(own.json)).not.toContain('reviewer-7');

    expect((await get(`/api/pilots/${p4.id}/timeline`, asRegion('PT11'))).status).toBe(200);
    expect((await get(`/api/pilots/${p1.id}/timeline`, asRegion('PL91'))).status).toBe(404);
    expect(
      (await get(`/api/pilots/${p1.id}/timeline`, { sub: 'reviewer-7', roles: ['reviewer'] })).status,
    ).toBe(404);
    expect((await get(`/api/pilots/no-such-pilot/timeline`, asAuditor)).status).toBe(404);
    expect((await get(`/api/pilots/${p1.id}/timeline`)).status).toBe(401);
  });

  it('count applications, eligibility and approval rates, budget and days in each stage, by call, type, member state and stage', async () => {
    const asked = Date.now();
    const answer = await get<Dashboard & { asOf: string }>('/api/dashboard', {
      sub: 'approver-1',
      roles: ['approver'],
    });
    expect(answer.status).toBe(200);
    // Computed for this call (no dashboard was asked before), and saying when.
    expect(Date.parse(answer.json.asOf)).toBeGreaterThanOrEqual(asked - 1_000);
    const { totals, byCall, byCountry, byStage, byPilotType } = answer.json;
    expect(totals).toMatchObject({
      applications: 4,
      eligible: 3,
      ineligible: 1,
      eligibilityRate: 0.75,
      approved: 1,
      rejected: 1,
      approvalRate: 0.5,
      budgetCommitted: 200_000_00,
    });
    expect(totals.timeInStage.evaluation).toEqual({ stays: 2, totalDays: 17, averageDays: 8.5 });
    expect(totals.timeInStage.implementation).toEqual({ stays: 1, totalDays: 76, averageDays: 76 });
    expect(
      byCall.map((group) => [group.callId, group.title, group.applications, group.eligibilityRate]),
    ).toEqual([
      [callIds.transition, 'Regions in industrial transition', 3, 0.6667],
      [callIds.partnership, 'Interregional partnerships', 1, 1],
    ]);
    expect(byCountry.map((group) => group.country)).toEqual(['BG', 'DE', 'ES', 'FR']);
    expect(byStage.map((group) => [group.stage, group.applications])).toEqual([
      ['closed', 1],
      ['evaluation', 1],
      ['ineligible', 1],
      ['rejected', 1],
    ]);
    expect(byPilotType.map((group) => [group.pilotType, group.applications])).toEqual([
      ['industrial-transition', 3],
      ['interregional-partnership', 1],
    ]);

    const partnerships = await get<Dashboard>(
      '/api/dashboard?pilotType=interregional-partnership',
      asAuditor,
    );
    expect(partnerships.json.totals).toMatchObject({ applications: 1, approvalRate: null });
    const french = await get<Dashboard>('/api/dashboard?country=FR', asAuditor);
    expect(french.json.totals).toMatchObject({ applications: 1, ineligible: 1, eligibilityRate: 0 });
    const evaluating = await get<Dashboard>(
      `/api/dashboard?stage=evaluation&callId=${callIds.partnership}`,
      asAuditor,
    );
    expect(evaluating.json.totals.applications).toBe(1);
    expect((await get('/api/dashboard?country=XX', asAuditor)).status).toBe(400);
    expect((await get('/api/dashboard', asRegion('BG41'))).status).toBe(403);
  });

  it('export the pilots as CSV, quoted and safe to open in a spreadsheet', async () => {
    const answer = await get('/api/exports/pilots.csv', asAuditor);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/csv/);
    const lines = answer.text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + 4 + 1);
    expect(lines[0]).toMatch(/^pilot_id,call_id,call_title,pilot_type,title,/);
    const [first] = lines.slice(1).filter((line) => line.startsWith(p1.id));
    expect(first).toContain(
      `${p1.id},${callIds.transition},Regions in industrial transition,industrial-transition,`,
    );
    expect(first).toContain(',closed,');
    expect(first).toContain(',200000.00,');
    const french = lines.find((line) => line.startsWith(p2.id));
    expect(french).toContain(`,"'=HYPERLINK(""http://evil.example"",""win"")",FR10,FR,`);
    expect((await get('/api/exports/pilots.csv', asRegion('BG41'))).status).toBe(403);
  });

  it('publish the calls and their outcomes as CommonGrants open data, without a token', async () => {
    const answer = await get<OpportunityPage>('/api/open-data/calls');
    expect(answer.status).toBe(200);
    expect(opportunityPage.parse(answer.json)).toEqual(answer.json);
    const [transition, partnership] = answer.json.items;
    expect(answer.json.paginationInfo).toEqual({ page: 1, pageSize: 100, totalItems: 2, totalPages: 1 });
    expect(transition).toMatchObject({
      id: callIds.transition,
      title: 'Regions in industrial transition',
      status: { value: 'closed' },
      funding: { totalAmountAvailable: { amount: '1000000.00', currency: 'EUR' } },
      keyDates: { appDeadline: { date: on(-1).toISOString().slice(0, 10), time: '09:00:00' } },
      createdAt: on(-30).toISOString(),
      lastModifiedAt: on(110).toISOString(),
    });
    expect(transition!.customFields).toMatchObject({
      applicationsReceived: { value: 3 },
      applicationsEligible: { value: 2 },
      applicationsApproved: { value: 1 },
      budgetCommitted: { value: { amount: '200000.00', currency: 'EUR' } },
    });
    expect(partnership).toMatchObject({ id: callIds.partnership, status: { value: 'open' } });
    // Aggregates only: no region, no person.
    for (const word of ['BG41', 'FR10', 'region-', 'approver-1', 'reviewer'])
      expect(answer.text).not.toContain(word);
    const second = await get<OpportunityPage>('/api/open-data/calls?page=2&pageSize=1');
    expect(second.json.items.map((item) => item.id)).toEqual([callIds.partnership]);
    expect((await get('/openapi.json')).text).toContain('/api/open-data/calls');
  });

  it('are the same whatever the order of the events and however often each came', async () => {
    expect(await shuffled.projections.snapshot()).toEqual(reference);
    expect(reference.timeline).toHaveLength(events.length - callsPublished.length);
    expect(
      [...inOrder.log, ...shuffled.log].filter((entry) => entry.msg === 'message sent to the DLQ'),
    ).toEqual([]);
  });

  it('are the same taken in by chunks, over documents already there, as one by one', async () => {
    const names = isolation('projections-chunks');
    const client = await MongoClient.connect(names.mongoUri);
    try {
      const projections = new Projections(client.db());
      const delivered = shuffledWithDuplicates(events);
      const half = Math.floor(delivered.length / 2);
      for (const event of delivered.slice(0, half)) await projections.apply(event);
      for (let at = half; at < delivered.length; at += 7) {
        await projections.applyMany(delivered.slice(at, at + 7));
      }
      expect(await projections.snapshot()).toEqual(reference);
      // Once more, whole: nothing changes.
      await projections.applyMany(delivered);
      expect(await projections.snapshot()).toEqual(reference);
    } finally {
      await client.db().dropDatabase();
      await client.close();
    }
  });

  it('rebuild from offset zero to the same result, through the API', async () => {
    expect((await get('/api/projections/rebuild', asAuditor, 'POST')).status).toBe(403);
    const answer = await get<{ generation: number }>('/api/projections/rebuild', asManager, 'POST');
    expect(answer.status).toBe(202);
    expect(answer.json.generation).toBe(2);
    expect(await inOrder.runner.currentGroup()).toBe(`${inOrder.names.topicPrefix}reporting-projections-g2`);
    await inOrder.runner.waitUntilCaughtUp();
    expect(await inOrder.projections.snapshot()).toEqual(reference);
  });

  it('rebuild with one command while the service is stopped, and refuse while it runs', async () => {
    const env = {
      MONGODB_URI: inOrder.names.mongoUri,
      KAFKA_BROKERS: endpoints.KAFKA_BROKERS,
      TOPIC_PREFIX: inOrder.names.topicPrefix,
    };
    const printed: string[] = [];
    expect(await rebuildCli([], env, (line) => printed.push(line))).toBe(1);
    expect(printed.join('\n')).toContain('the reporting service is running');

    await inOrder.runner.stop();
    expect(await rebuildCli(['--timeout-seconds', '90'], env, (line) => printed.push(line))).toBe(0);
    expect(printed.at(-1)).toBe(
      'read models rebuilt (generation 3): 2 calls, 4 pilots, ' +
        `${reference.timeline.length} timeline entries`,
    );
    expect(await inOrder.projections.snapshot()).toEqual(reference);

    // The service, started again, continues in the generation the command left.
    await inOrder.runner.start();
    expect(await inOrder.runner.currentGroup()).toBe(`${inOrder.names.topicPrefix}reporting-projections-g3`);
    await inOrder.runner.waitUntilCaughtUp();
    expect(await inOrder.projections.snapshot()).toEqual(reference);
  });

  it('kept in an older layout, rebuild themselves when the service starts', async () => {
    await inOrder.runner.stop();
    // As the previous layout left them: a generation without a layout, an entry per document.
    await inOrder.db
      .collection<{ _id: string }>('projection_state')
      .updateOne({ _id: 'projections' }, { $unset: { layout: '' } });
    await inOrder.db
      .collection<{ _id: string; pilotId: string }>('projection_timeline')
      .insertOne({ _id: 'event-of-the-old-layout', pilotId: p1.id });

    await inOrder.runner.start();
    expect(await inOrder.runner.currentGroup()).toBe(`${inOrder.names.topicPrefix}reporting-projections-g4`);
    await inOrder.runner.waitUntilCaughtUp();
    expect(await inOrder.projections.snapshot()).toEqual(reference);
    expect(
      await inOrder.db.collection<{ _id: string }>('projection_state').findOne({ _id: 'projections' }),
    ).toMatchObject({
      generation: 4,
      cleared: true,
      layout: 2,
    });
  });
});
