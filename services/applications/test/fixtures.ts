import { randomUUID } from 'node:crypto';
import type { CallSnapshot, EligibilityReason, PilotStage, PilotType } from '@s3p/contracts';
import { callEvents, lifecycleEvents } from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';

const day = 24 * 60 * 60 * 1000;
export const inDays = (days: number) => new Date(Date.now() + days * day).toISOString();
export const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

/** A published call as the calls service puts it in its events. */
export function callSnapshot(
  pilotType: CallSnapshot['pilotType'],
  overrides: Partial<CallSnapshot> = {},
): CallSnapshot {
  return {
    id: randomUUID(),
    status: 'open',
    pilotType,
    title: `A ${pilotType} call`,
    summary: 'A call written by the applications tests.',
    eligibility:
      pilotType === 'industrial-transition'
        ? { countries: ['BG', 'GR', 'PL', 'ES'], minPartners: 0, maxPartners: 0, minCountries: 1 }
        : { countries: ['BG', 'GR', 'PL', 'ES'], minPartners: 1, maxPartners: 3, minCountries: 2 },
    prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
    criteria: [
      { id: 'relevance', name: 'Relevance', weight: 50, maxScore: 5 },
      { id: 'quality', name: 'Quality', weight: 50, maxScore: 5 },
    ],
    passThreshold: 60,
    reviewersPerApplication: 2,
    scoreTolerance: 15,
    expertTeamSize: 3,
    totalBudget: 1_000_000_00,
    perApplicationCeiling: 250_000_00,
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: inDays(30),
    committedBudget: 0,
    ...overrides,
  };
}

const calls = { source: 'calls', actor: { kind: 'system', name: 'call-schedule' } as const };

export const published = (call: CallSnapshot, occurredAt = new Date()) =>
  newEvent(callEvents.published, { ...calls, subject: call.id, occurredAt, data: { call } });

export const amended = (call: CallSnapshot, changed: string[], occurredAt = new Date()) =>
  newEvent(callEvents.amended, { ...calls, subject: call.id, occurredAt, data: { call, changed } });

export const opened = (call: CallSnapshot, occurredAt = new Date()) =>
  newEvent(callEvents.opened, {
    ...calls,
    subject: call.id,
    occurredAt,
    data: { callId: call.id, openedAt: occurredAt.toISOString() },
  });

export const closed = (call: CallSnapshot, occurredAt = new Date()) =>
  newEvent(callEvents.closed, {
    ...calls,
    subject: call.id,
    occurredAt,
    data: { callId: call.id, closedAt: occurredAt.toISOString(), reason: 'deadline' },
  });

const strategy = {
  contextAnalysis: 'Manufacturing employs a third of the workforce and is changing fast.',
  governance: 'A regional innovation council with industry, universities and civil society.',
  sharedVision: 'A low-carbon manufacturing region by 2030.',
  priorities: 'Advanced manufacturing and the circular economy.',
  policyMix: 'Vouchers, skills academies and a regional investment fund.',
  monitoring: 'Yearly indicators reviewed by the council.',
};

/** A complete application for a call, ready to submit. */
export function applicationDraft(callId: string, overrides: Record<string, unknown> = {}) {
  return {
    callId,
    title: 'Smart manufacturing transition',
    s3Strategy: strategy,
    priorityDomains: [{ kind: 'economic', naceSection: 'C', naceDivision: '29' }],
    requestedSupport: ['innovation-capacity', 'skills'],
    supportDescription: 'Experts to help design the skills academy and the investment fund.',
    budget: { total: 400_000_00, requested: 200_000_00 },
    workPlan: [
      { title: 'Skills academy designed', dueDate: inDays(120).slice(0, 10), deliverables: ['Academy plan'] },
      { title: 'Fund launched', dueDate: inDays(240).slice(0, 10), deliverables: ['Fund statutes'] },
    ],
    ...overrides,
  };
}

/** The same canonical JSON as the service's, written independently: what a region would compute. */
export const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(value);

/** The facts of a pilot that the lifecycle's events carry, for an application of these tests. */
export interface PilotFacts {
  id: string;
  callId: string;
  pilotType: PilotType;
  region: string;
  partners?: string[];
}

/** A change of stage as the lifecycle service publishes it on `lifecycle.events`. */
export const stageChanged = (
  pilot: PilotFacts,
  sequence: number,
  from: PilotStage | null,
  to: PilotStage,
  extra: { reason?: string; reasons?: EligibilityReason[]; dueAt?: string; occurredAt?: Date } = {},
) =>
  newEvent(lifecycleEvents.stageChanged, {
    source: 'lifecycle',
    subject: pilot.id,
    actor: { kind: 'system', name: 'pilot-workflow' },
    ...(extra.occurredAt ? { occurredAt: extra.occurredAt } : {}),
    data: {
      pilotId: pilot.id,
      callId: pilot.callId,
      pilotType: pilot.pilotType,
      region: pilot.region,
      partners: pilot.partners ?? [],
      sequence,
      from,
      to,
      reason: extra.reason ?? `now ${to}`,
      ...(extra.reasons ? { reasons: extra.reasons } : {}),
      ...(extra.dueAt ? { dueAt: extra.dueAt } : {}),
    },
  });

/** The stage changes of a pilot from its submission to `to`, numbered from 1, in the usual order. */
export function stagesUpTo(pilot: PilotFacts, path: PilotStage[]) {
  return path.map((to, i) => stageChanged(pilot, i + 1, i === 0 ? null : path[i - 1]!, to));
}
