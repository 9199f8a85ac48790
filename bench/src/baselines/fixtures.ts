import { randomUUID } from 'node:crypto';
import type { AnyEnvelope, ApplicationDraftBody } from '@s3p/contracts';
import { applicationDraftBody, applicationEvents, validateEvent } from '@s3p/contracts';

/**
 * What the baselines send, store and publish: the same complete application a region drafts
 * through the portal (as the end-to-end tests write it), the document the applications service
 * inserts for it (services/applications/src/http/applications-routes.ts, POST /api/applications:
 * the content, the partners, status and version, and its outbox with `application.drafted`), and
 * the `application.submitted` envelope the applications service publishes for it.
 */
const day = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * day).toISOString().slice(0, 10);

export const benchCallId = 'bench-call-0001';
export const benchRegion = 'BG41';

export function applicationDraft(callId = benchCallId): ApplicationDraftBody {
  return {
    callId,
    title: 'Smart manufacturing transition',
    s3Strategy: {
      contextAnalysis: 'Manufacturing employs a third of the workforce and is changing fast.',
      governance: 'A regional innovation council with industry, universities and civil society.',
      sharedVision: 'A low-carbon manufacturing region by 2030.',
      priorities: 'Advanced manufacturing and the circular economy.',
      policyMix: 'Vouchers, skills academies and a regional investment fund.',
      monitoring: 'Yearly indicators reviewed by the council.',
    },
    priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
    requestedSupport: ['innovation-capacity', 'skills'],
    supportDescription: 'Experts to help design the skills academy and the investment fund.',
    budget: { total: 400_000_00, requested: 200_000_00 },
    workPlan: [
      { title: 'Skills academy designed', dueDate: inDays(120), deliverables: ['Academy plan'] },
      { title: 'Fund launched', dueDate: inDays(240), deliverables: ['Fund statutes'] },
    ],
  };
}

/** The request body of every HTTP baseline, checked against the API's own schema once. */
export const draftJson: string = JSON.stringify(applicationDraftBody.parse(applicationDraft()));

/** A stored application with its outbox, as the applications service inserts a new draft. */
export interface BenchApplicationDocument {
  _id: string;
  callId: string;
  pilotType: 'industrial-transition';
  region: string;
  title?: string;
  s3Strategy?: Record<string, string | undefined>;
  priorityDomains?: unknown[];
  requestedSupport?: string[];
  supportDescription?: string;
  budget?: { total: number; requested: number };
  workPlan?: unknown[];
  partners: { region: string; invitedAt: string; confirmedAt?: string }[];
  partnerRegions: string[];
  status: 'draft';
  version: number;
  submissions: unknown[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  outbox: AnyEnvelope[];
}

const actor = { kind: 'user' as const, sub: 'region-bg41', roles: ['region'] };

/** The document for a validated draft body: what both the mongoose and the native handler insert. */
export function applicationDocument(body: ApplicationDraftBody, now = new Date()): BenchApplicationDocument {
  const id = randomUUID();
  const { callId, partners = [], ...content } = body;
  return {
    _id: id,
    callId,
    pilotType: 'industrial-transition',
    region: benchRegion,
    ...content,
    partners: partners.map((region) => ({ region, invitedAt: now.toISOString() })),
    partnerRegions: partners,
    status: 'draft',
    version: 1,
    submissions: [],
    createdBy: actor.sub,
    createdAt: now,
    updatedAt: now,
    outbox: [
      {
        id: randomUUID(),
        type: 'application.drafted',
        version: 1,
        source: 'applications',
        subject: id,
        occurredAt: now.toISOString(),
        correlationId: randomUUID(),
        causationId: null,
        actor,
        data: { applicationId: id, callId, region: benchRegion },
      },
    ],
  };
}

/** An `application.submitted` envelope of the complete application (`id` and `subject` fresh each call). */
export function submittedEnvelope(): AnyEnvelope {
  const applicationId = randomUUID();
  const { callId, partners: _partners, ...content } = applicationDraft();
  const submittedAt = new Date().toISOString();
  const event = {
    id: randomUUID(),
    type: 'application.submitted',
    version: 1,
    source: 'applications',
    subject: applicationId,
    occurredAt: submittedAt,
    correlationId: randomUUID(),
    causationId: null,
    actor,
    data: {
      application: {
        id: applicationId,
        callId,
        pilotType: 'industrial-transition',
        region: benchRegion,
        ...content,
        partners: [],
      },
      receipt: {
        applicationId,
        submissionVersion: 1,
        contentHash: '0'.repeat(64),
        submittedAt,
      },
    },
  };
  applicationEvents.submitted.parse(event);
  const checked = validateEvent(event);
  if (!checked.ok) throw new Error(`the bench's envelope is invalid: ${checked.reason}`);
  return checked.event;
}
