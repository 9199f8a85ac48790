import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { Bots } from './bots';
import { expertCapacity, requestedPerApplication } from './bots';
import type { Exchange } from './http-record';
import { hangAfterMs } from './http-record';

/** One invariant, checked: whether it holds, and the figures that show it. */
export interface Check {
  name: string;
  holds: boolean;
  detail: string;
  /** What it found lost (acknowledged and gone), where it counts losses. */
  lost?: number;
}

/** What the invariants read: the platform through its API (bots' users) and the stack directly. */
export interface Witnesses {
  bots: Bots;
  /** A service's database, read directly. */
  db: (service: string) => Db;
  temporal: Client;
  /** The dead letters, checked on their own (dead-letters.ts). */
  deadLetters: () => Promise<Check>;
  exchanges: readonly Exchange[];
}

interface StageChange {
  sequence: number;
  to: string;
}
interface PilotView {
  pilotId: string;
  stage: string;
  history: StageChange[];
  decision?: { decision: string };
}

const list = (values: Iterable<string>, max = 5) => {
  const all = [...values];
  return all.length <= max ? all.join(', ') : `${all.slice(0, max).join(', ')} … (${all.length})`;
};

/** Every pilot's view, read through the API as the auditor (who may read everything). */
async function pilotViews(witnesses: Witnesses): Promise<Map<string, PilotView>> {
  const views = new Map<string, PilotView>();
  for (const pilot of witnesses.bots.pilots) {
    if (!pilot.applicationId) continue;
    const answer = await witnesses.bots.auditor.request<PilotView>(
      'GET',
      `/api/pilots/${pilot.applicationId}`,
    );
    if (answer.status === 200) views.set(pilot.applicationId, answer.body);
  }
  return views;
}

/** Stage changes in the audit trail by pilot: sequence → how many entries. */
async function auditedStageChanges(db: Db): Promise<Map<string, Map<number, number>>> {
  const entries = await db
    .collection<{ type: string; event: { data: { pilotId?: string; sequence?: number } } }>('audit')
    .find({ type: 'lifecycle.stage-changed' })
    .toArray();
  const byPilot = new Map<string, Map<number, number>>();
  for (const { event } of entries) {
    const { pilotId, sequence } = event.data;
    if (typeof pilotId !== 'string' || typeof sequence !== 'number') continue;
    const counts = byPilot.get(pilotId) ?? new Map<number, number>();
    counts.set(sequence, (counts.get(sequence) ?? 0) + 1);
    byPilot.set(pilotId, counts);
  }
  return byPilot;
}

/**
 * Waits until the platform has caught up after the faults (every acknowledged submission has
 * its pilot, every stage change its audit entry), for at most `timeoutMs`; the checks then tell
 * what is still missing.
 */
export async function settle(witnesses: Witnesses, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const views = await pilotViews(witnesses);
    const acknowledged = witnesses.bots.pilots.filter((p) => p.acknowledged).length;
    const audited = await auditedStageChanges(witnesses.db('reporting'));
    const caughtUp = [...views.values()].every(
      (view) => (audited.get(view.pilotId)?.size ?? 0) === view.history.length,
    );
    if (views.size >= acknowledged && caughtUp) return;
    await delay(2_000);
  }
}

export async function checkInvariants(witnesses: Witnesses): Promise<Check[]> {
  const views = await pilotViews(witnesses);
  return [
    await checked('every submission that got a 2xx has exactly one pilot', () =>
      onePilotPerSubmission(witnesses),
    ),
    await checked('every stage change reached the audit trail exactly once', () =>
      stageChangesAuditedOnce(witnesses, views),
    ),
    await checked('the audit chain verifies (GET /api/audit/verify) and holds each event once', () =>
      auditChainVerifies(witnesses),
    ),
    await checked('no budget over-committed, each approval reserved once', () =>
      budgetNotOverCommitted(witnesses, views),
    ),
    await checked('no expert past capacity', () => expertsWithinCapacity(witnesses)),
    await checked('every DLQ message accounted for', () => witnesses.deadLetters()),
    ...httpUnderFaults(witnesses.exchanges),
  ];
}

/** A check that could not be made (a read the platform never answered) does not hold, and says why. */
async function checked(name: string, check: () => Promise<Check>): Promise<Check> {
  try {
    return await check();
  } catch (error) {
    return {
      name,
      holds: false,
      detail: `could not be checked: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

async function onePilotPerSubmission({ bots, db, temporal }: Witnesses): Promise<Check> {
  const acknowledged = bots.pilots.filter((p) => p.acknowledged).map((p) => p.applicationId!);
  const wrong: string[] = [];
  let lost = 0;
  for (const id of acknowledged) {
    const stored = await db('lifecycle')
      .collection('pilots')
      .countDocuments({ _id: id as never });
    let runs = 0;
    for await (const _execution of temporal.workflow.list({ query: `WorkflowId = '${id}'` })) runs++;
    if (stored !== 1 || runs !== 1) wrong.push(`${id} (${stored} stored, ${runs} workflow runs)`);
    if (stored === 0 && runs === 0) lost++;
  }
  return {
    name: 'every submission that got a 2xx has exactly one pilot',
    holds: acknowledged.length > 0 && wrong.length === 0,
    detail:
      wrong.length === 0
        ? `${acknowledged.length} acknowledged submissions, each with one pilot and one workflow`
        : `not exactly one pilot: ${list(wrong)}`,
    lost,
  };
}

async function stageChangesAuditedOnce({ db }: Witnesses, views: Map<string, PilotView>): Promise<Check> {
  const audited = await auditedStageChanges(db('reporting'));
  const wrong: string[] = [];
  let changes = 0;
  let lost = 0;
  for (const view of views.values()) {
    const counts = audited.get(view.pilotId) ?? new Map<number, number>();
    changes += view.history.length;
    for (const change of view.history) {
      const n = counts.get(change.sequence) ?? 0;
      if (n !== 1) wrong.push(`${view.pilotId} #${change.sequence} → ${change.to}: ${n} entries`);
      if (n === 0) lost++;
    }
    for (const sequence of counts.keys()) {
      if (!view.history.some((c) => c.sequence === sequence))
        wrong.push(`${view.pilotId} #${sequence}: audited, not in the pilot's history`);
    }
  }
  return {
    name: 'every stage change reached the audit trail exactly once',
    holds: changes > 0 && wrong.length === 0,
    detail:
      wrong.length === 0
        ? `${changes} stage changes of ${views.size} pilots, each once in the trail`
        : list(wrong),
    lost,
  };
}

async function auditChainVerifies({ bots, db }: Witnesses): Promise<Check> {
  const reportingDb = db('reporting');
  const answer = await bots.auditor.request<{ valid: boolean; entries: number }>('GET', '/api/audit/verify');
  const stored = await reportingDb.collection('audit').countDocuments({});
  const eventIds = await reportingDb.collection('audit').distinct('eventId');
  const holds =
    answer.status === 200 &&
    answer.body.valid &&
    answer.body.entries === stored &&
    eventIds.length === stored;
  return {
    name: 'the audit chain verifies (GET /api/audit/verify) and holds each event once',
    holds,
    detail: `${answer.status}: valid ${String(answer.body.valid)}, ${answer.body.entries} entries verified of ${stored} stored, ${eventIds.length} distinct events`,
  };
}

async function budgetNotOverCommitted({ bots }: Witnesses, views: Map<string, PilotView>): Promise<Check> {
  const call = await bots.manager.request<{
    totalBudget: number;
    committedBudget: number;
    remainingBudget: number;
  }>('GET', `/api/calls/${bots.callId}`);
  const { totalBudget, committedBudget, remainingBudget } = call.body;
  const approved = [...views.values()].filter((view) => view.decision?.decision === 'approve').length;
  const expected = approved * requestedPerApplication;
  return {
    name: 'no budget over-committed, each approval reserved once',
    holds:
      call.status === 200 &&
      committedBudget <= totalBudget &&
      committedBudget + remainingBudget === totalBudget &&
      committedBudget === expected,
    detail: `committed ${committedBudget} of ${totalBudget} (remaining ${remainingBudget}); ${approved} approved pilots × ${requestedPerApplication} = ${expected}`,
  };
}

async function expertsWithinCapacity({ bots }: Witnesses): Promise<Check> {
  const answer = await bots.manager.request<{ items: { id: string; load: number; capacity: number }[] }>(
    'GET',
    '/api/experts?limit=100',
  );
  const items = answer.body.items ?? [];
  const over = items.filter((e) => e.load > e.capacity).map((e) => `${e.id} ${e.load}/${e.capacity}`);
  const seats = items.reduce((sum, e) => sum + e.load, 0);
  return {
    name: 'no expert past capacity',
    holds: answer.status === 200 && items.length > 0 && over.length === 0,
    detail:
      over.length === 0
        ? `${items.length} experts of capacity ${expertCapacity}: ${seats} seats held, none over`
        : `over capacity: ${list(over)}`,
  };
}

/** Counts by outcome, e.g. `200: 1520, 503: 31, refused: 4`. */
export function outcomes(exchanges: readonly Exchange[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { outcome } of exchanges) counts[String(outcome)] = (counts[String(outcome)] ?? 0) + 1;
  return counts;
}

function httpUnderFaults(exchanges: readonly Exchange[]): Check[] {
  const describe = (e: Exchange) =>
    `${e.method} ${e.route} → ${e.outcome} after ${e.ms} ms, sent at ${e.at} ms${e.fault ? ` (${e.fault})` : ''}`;
  const serverErrors = exchanges.filter(
    (e) => typeof e.outcome === 'number' && e.outcome >= 500 && e.outcome !== 503,
  );
  const bare503 = exchanges.filter((e) => e.outcome === 503 && !(Number(e.retryAfter) > 0));
  const hangs = exchanges.filter((e) => e.outcome === 'hang' || e.ms > hangAfterMs);
  const answered503 = exchanges.filter((e) => e.outcome === 503).length;
  return [
    {
      name: 'no 500 (nor any 5xx but 503)',
      holds: serverErrors.length === 0,
      detail: serverErrors.length === 0 ? `${exchanges.length} requests` : list(serverErrors.map(describe)),
    },
    {
      name: 'every 503 carries Retry-After',
      holds: bare503.length === 0,
      detail:
        bare503.length === 0
          ? `${answered503} answers 503, all with Retry-After`
          : list(bare503.map(describe)),
    },
    {
      name: 'no hang (every request answered within 15 s)',
      holds: hangs.length === 0,
      detail:
        hangs.length === 0
          ? `slowest answer ${Math.max(0, ...exchanges.map((e) => e.ms))} ms`
          : list(hangs.map(describe)),
    },
  ];
}
