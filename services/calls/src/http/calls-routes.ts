import { randomUUID } from 'node:crypto';
import { budgetReservationBody, callDraftBody, callPatchBody, callStatus } from '@s3p/contracts';
import { pushToOutbox } from '@s3p/messaging';
import type { IdempotencyRecord, Principal } from '@s3p/service-kit';
import {
  afterCursor,
  HttpProblem,
  idempotency,
  ifMatchVersion,
  newId,
  notFound,
  pageOf,
  parseBody,
  parseQuery,
  preconditionFailed,
  principalOf,
  requireRole,
  tagVersion,
} from '@s3p/service-kit';
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { Collection, Filter } from 'mongodb';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Refusal } from '../domain/call-rules';
import {
  amendment,
  isPublished,
  manualClose,
  mayRead,
  normalizeCall,
  publication,
  readableStatuses,
  reservation,
  statusesAllowing,
} from '../domain/call-rules';
import type { Cause } from '../events/call-events';
import { budgetReserved, callAmended, callClosed, callOpened, callPublished } from '../events/call-events';
import type { CallScheduler } from '../scheduler';
import { scheduleInputOf } from '../scheduler';
import type { CallDocument, CallStore, CallWriter, StoredCall } from '../store/call-store';
import type { CallView, ReservationView } from './schemas';
import { callListQuery } from './schemas';

export interface CallRoutesDependencies {
  store: CallStore;
  scheduler: CallScheduler;
  /** Wakes the outbox relay after a write that added events. */
  poke: () => void;
  idempotencyKeys: Collection<IdempotencyRecord>;
  logger: Logger;
}

/** How often a command re-reads and retries when another instance wrote the call in between. */
const maxAttempts = 10;

export function viewOf(call: StoredCall): CallView {
  return {
    id: call._id,
    status: call.status,
    pilotType: call.pilotType,
    title: call.title,
    summary: call.summary,
    eligibility: call.eligibility,
    prioritySectors: call.prioritySectors,
    criteria: call.criteria,
    passThreshold: call.passThreshold,
    reviewersPerApplication: call.reviewersPerApplication,
    scoreTolerance: call.scoreTolerance,
    expertTeamSize: call.expertTeamSize,
    totalBudget: call.totalBudget,
    perApplicationCeiling: call.perApplicationCeiling,
    opensAt: call.opensAt,
    closesAt: call.closesAt,
    committedBudget: call.committedBudget,
    remainingBudget: call.remainingBudget,
    version: call.version,
    createdAt: call.createdAt.toISOString(),
    updatedAt: call.updatedAt.toISOString(),
    ...(call.publishedAt ? { publishedAt: call.publishedAt.toISOString() } : {}),
    ...(call.openedAt ? { openedAt: call.openedAt.toISOString() } : {}),
    ...(call.closedAt ? { closedAt: call.closedAt.toISOString() } : {}),
    ...(call.closeReason ? { closeReason: call.closeReason } : {}),
  };
}

const problemOf = (refusal: Refusal) =>
  new HttpProblem(
    refusal.status,
    refusal.status === 409 ? 'Conflict' : 'Unprocessable Content',
    refusal.detail,
    refusal.errors,
  );

/** The request's id when it is a uuid (the caller's `x-request-id`), so events join the caller's trail. */
function causeOf(req: Request): Cause {
  const principal = principalOf(req);
  const requestId = String((req as { id?: unknown }).id ?? '');
  return {
    actor: { kind: 'user', sub: principal.sub, roles: [...principal.roles] },
    correlationId: z.uuid().safeParse(requestId).success ? requestId : randomUUID(),
  };
}

function answer(res: Response, status: number, call: StoredCall): void {
  tagVersion(res, call.version);
  res.status(status).json(viewOf(call));
}

/** A call this principal may see, or 404: a draft stays invisible to those who may not read drafts. */
function visible(call: StoredCall | null, principal: Principal): StoredCall {
  if (!call || !mayRead(principal.roles, call.status)) throw notFound('no such call');
  return call;
}

function checkVersion(call: StoredCall, expected: number | undefined): void {
  if (expected !== undefined && call.version !== expected) throw preconditionFailed(call.version);
}

const busy = () =>
  new HttpProblem(503, 'Service Unavailable', 'the call kept changing under this request; retry', undefined, {
    'Retry-After': '1',
  });

export function callRoutes(deps: CallRoutesDependencies): Router {
  const { store, scheduler, poke, logger } = deps;
  const router = Router();
  const managers = requireRole('programme-manager');
  const oneAnswerPerKey = idempotency(deps.idempotencyKeys);
  const idOf = (req: Request) => String(req.params.id);

  /**
   * Runs a state change on a call: `command` reads it, decides, and makes one conditional write,
   * alone among this process's writes to that call; it answers undefined when the write did not
   * match because another instance changed the call meanwhile, and is then run again.
   */
  async function change(
    id: string,
    command: (call: StoredCall, writer: CallWriter) => Promise<StoredCall | undefined>,
    principal: Principal,
  ): Promise<StoredCall> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const done = await store.exclusive(id, async (writer) => {
        const call = visible(await writer.find(), principal);
        return command(call, writer);
      });
      if (done) return done;
    }
    throw busy();
  }

  router.post('/api/calls', managers, oneAnswerPerKey, async (req, res) => {
    const fields = normalizeCall(parseBody(callDraftBody, req));
    const now = new Date();
    const call: CallDocument = {
      _id: newId(now.getTime()),
      ...fields,
      status: 'draft',
      committedBudget: 0,
      remainingBudget: fields.totalBudget,
      reservations: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: principalOf(req).sub,
      outbox: [],
    };
    await store.insert(call);
    res.location(`/api/calls/${call._id}`);
    const { outbox: _outbox, reservations: _reservations, ...stored } = call;
    answer(res, 201, stored);
  });

  router.get('/api/calls', async (req, res) => {
    const query = parseQuery(callListQuery, req);
    const readable = readableStatuses(principalOf(req).roles);
    if (query.status && !readable.includes(query.status)) {
      res.json({ items: [] });
      return;
    }
    const filter: Filter<CallDocument> = {
      ...afterCursor(query.cursor),
      ...(query.status
        ? { status: query.status }
        : readable.length < callStatus.options.length
          ? { status: { $in: readable } }
          : {}),
      ...(query.pilotType ? { pilotType: query.pilotType } : {}),
    };
    res.json(pageOf(await store.list(filter, query.limit), query.limit, viewOf));
  });

  router.get('/api/calls/:id', async (req, res) => {
    answer(res, 200, visible(await store.find(idOf(req)), principalOf(req)));
  });

  router.patch('/api/calls/:id', managers, async (req, res) => {
    const id = idOf(req);
    const expected = ifMatchVersion(req);
    const patch = parseBody(callPatchBody, req);
    const cause = causeOf(req);
    let rescheduled = false;
    const call = await change(
      id,
      async (current, writer) => {
        checkVersion(current, expected);
        const now = new Date();
        const decision = amendment(current, patch, now);
        if (decision.kind === 'refused') throw problemOf(decision);
        if (decision.kind === 'unchanged') return current;
        const set = {
          ...decision.fields,
          status: decision.status,
          remainingBudget: decision.remainingBudget,
          updatedAt: now,
          ...(decision.opened ? { openedAt: now } : {}),
        };
        const amended: StoredCall = { ...current, ...set, version: current.version + 1 };
        const events = isPublished(current.status)
          ? [
              callAmended(amended, decision.changed, cause, now),
              ...(decision.opened ? [callOpened(amended, cause, now)] : []),
            ]
          : [];
        const written = await writer.update(
          { version: current.version, status: current.status },
          { $set: set, $inc: { version: 1 }, $push: pushToOutbox(events) },
        );
        if (!written) return undefined;
        rescheduled = decision.rescheduled;
        return amended;
      },
      principalOf(req),
    );
    poke();
    if (rescheduled) {
      // The amendment stands either way. A timer that missed later dates reads them when it fires
      // and sleeps again; one that missed earlier dates fires late, at the old time.
      await scheduler
        .reschedule(scheduleInputOf(call, call.publicationCorrelationId ?? cause.correlationId))
        .catch((error: unknown) =>
          logger.error({ err: error, callId: id }, 'could not re-arm the call timers'),
        );
    }
    answer(res, 200, call);
  });

  router.post('/api/calls/:id/publish', managers, oneAnswerPerKey, async (req, res) => {
    const id = idOf(req);
    const expected = ifMatchVersion(req);
    const cause = causeOf(req);
    const call = await change(
      id,
      async (current, writer) => {
        checkVersion(current, expected);
        // A retried publication answers as the first did and makes sure the timers run.
        if (current.status === 'scheduled' || current.status === 'open') return current;
        const now = new Date();
        const decision = publication(current, now);
        if (decision.kind === 'refused') throw problemOf(decision);
        const set = {
          status: decision.status,
          publishedAt: now,
          publishedBy: cause.actor.kind === 'user' ? cause.actor.sub : 'system',
          publicationCorrelationId: cause.correlationId,
          updatedAt: now,
          ...(decision.status === 'open' ? { openedAt: now } : {}),
        };
        const published: StoredCall = { ...current, ...set, version: current.version + 1 };
        const events = [
          callPublished(published, cause, now),
          ...(decision.status === 'open' ? [callOpened(published, cause, now)] : []),
        ];
        const written = await writer.update(
          { version: current.version, status: 'draft' },
          { $set: set, $inc: { version: 1 }, $push: pushToOutbox(events) },
        );
        return written ? published : undefined;
      },
      principalOf(req),
    );
    poke();
    try {
      await scheduler.start(scheduleInputOf(call, call.publicationCorrelationId ?? cause.correlationId));
    } catch (error) {
      logger.error({ err: error, callId: id }, 'could not start the call timers');
      throw new HttpProblem(
        503,
        'Service Unavailable',
        'the call is published but its opening and closing timers could not be set; publish again to retry',
        undefined,
        { 'Retry-After': '5' },
      );
    }
    answer(res, 200, call);
  });

  router.post('/api/calls/:id/close', managers, oneAnswerPerKey, async (req, res) => {
    const id = idOf(req);
    const expected = ifMatchVersion(req);
    const cause = causeOf(req);
    const call = await change(
      id,
      async (current, writer) => {
        checkVersion(current, expected);
        const decision = manualClose(current.status);
        if (decision.kind === 'refused') throw problemOf(decision);
        const now = new Date();
        const set = {
          status: 'closed' as const,
          closedAt: now,
          closeReason: 'manual' as const,
          updatedAt: now,
        };
        const closed: StoredCall = { ...current, ...set, version: current.version + 1 };
        const written = await writer.update(
          { version: current.version, status: current.status },
          {
            $set: set,
            $inc: { version: 1 },
            $push: pushToOutbox([callClosed(closed, 'manual', cause, now)]),
          },
        );
        return written ? closed : undefined;
      },
      principalOf(req),
    );
    poke();
    // The call is closed either way; a timer that missed the signal finds it closed when it fires.
    await scheduler
      .close(id)
      .catch((error: unknown) => logger.error({ err: error, callId: id }, 'could not stop the call timers'));
    answer(res, 200, call);
  });

  router.post(
    '/api/calls/:id/reservations',
    // `service`: the lifecycle service reserves at approval, with its own identity.
    requireRole('programme-manager', 'approver', 'service'),
    oneAnswerPerKey,
    async (req, res) => {
      const id = idOf(req);
      const request = parseBody(budgetReservationBody, req);
      const cause = causeOf(req);
      const principal = principalOf(req);
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const outcome = await store.exclusive(id, async (writer) => {
          const call = visible(await writer.find({ withReservations: true }), principal);
          const existing = call.reservations?.find((r) => r.applicationId === request.applicationId);
          const decision = reservation(
            call,
            existing && {
              applicationId: existing.applicationId,
              amount: existing.amount,
              reservedAt: existing.reservedAt,
            },
            request,
          );
          if (decision.kind === 'refused') throw problemOf(decision);
          if (decision.kind === 'existing') {
            return { status: 200, view: reservationViewOf(call, decision.reservation, call) };
          }
          const now = new Date();
          const reserved = { ...request, reservedAt: now.toISOString() };
          // The condition repeats every rule, so that no interleaving can over-commit: the exact
          // committed figure this decision was taken on (which also makes the event's figure exact),
          // enough remaining, and no reservation yet for this application.
          const written = await writer.update(
            {
              status: { $in: statusesAllowing('reserve') },
              committedBudget: call.committedBudget,
              remainingBudget: { $gte: request.amount },
              'reservations.applicationId': { $ne: request.applicationId },
            },
            {
              $inc: { committedBudget: request.amount, remainingBudget: -request.amount, version: 1 },
              $set: { updatedAt: now },
              $push: {
                reservations: { ...reserved, reservedBy: principal.sub },
                ...pushToOutbox([budgetReserved(call, request, decision.committedBudget, cause, now)]),
              },
            },
          );
          if (!written) return undefined;
          return { status: 201, view: reservationViewOf(call, reserved, decision) };
        });
        if (outcome) {
          if (outcome.status === 201) poke();
          res.status(outcome.status).json(outcome.view);
          return;
        }
      }
      throw busy();
    },
  );

  return router;
}

function reservationViewOf(
  call: StoredCall,
  reserved: { applicationId: string; amount: number; reservedAt: string },
  budget: { committedBudget: number; remainingBudget: number },
): ReservationView {
  return {
    callId: call._id,
    applicationId: reserved.applicationId,
    amount: reserved.amount,
    reservedAt: reserved.reservedAt,
    committedBudget: budget.committedBudget,
    remainingBudget: budget.remainingBudget,
  };
}
