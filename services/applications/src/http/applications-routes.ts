import { randomUUID } from 'node:crypto';
import type { AnyEnvelope, SubmissionReceipt } from '@s3p/contracts';
import { applicationDraftBody, applicationPatchBody } from '@s3p/contracts';
import { pushToOutbox } from '@s3p/messaging';
import type { IdempotencyRecord, Principal, ScopedCollection } from '@s3p/service-kit';
import {
  afterCursor,
  conflict,
  forbidden,
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
  unprocessable,
} from '@s3p/service-kit';
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { Collection, Document, Filter } from 'mongodb';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ApplicationAction, DraftApplication } from '../domain/application-rules';
import {
  actionRefusal,
  checkSubmission,
  confirmPartner,
  contentFields,
  countryOf,
  isResubmission,
  leadProblems,
  partnerProblems,
  replacePartners,
} from '../domain/application-rules';
import { applicationWindow, submissionWindow } from '../domain/call-projection';
import { contentHash } from '../domain/canonical';
import type { Cause } from '../events/application-events';
import {
  applicationDrafted,
  applicationSubmitted,
  applicationWithdrawn,
  partnerConfirmed,
  partnerInvited,
  partnerRemoved,
} from '../events/application-events';
import type { ApplicationDocument, ApplicationStore, StoredApplication } from '../store/application-store';
import type { CallProjectionStore } from '../store/call-projection-store';
import type { ApplicationView } from './schemas';
import { applicationListQuery, submissionParams, withdrawalBody } from './schemas';

export interface ApplicationRoutesDependencies {
  applications: ApplicationStore;
  calls: CallProjectionStore;
  /** Wakes the outbox relay after a write that added events. */
  poke: (applicationId: string) => void;
  idempotencyKeys: Collection<IdempotencyRecord>;
  logger: Logger;
}

/** How often a change re-reads and retries when another request wrote the application in between. */
const maxAttempts = 10;

export function viewOf(app: StoredApplication): ApplicationView {
  const content = Object.fromEntries(
    contentFields.flatMap((f) => (app[f] === undefined ? [] : [[f, app[f]]])),
  );
  return {
    id: app._id,
    callId: app.callId,
    pilotType: app.pilotType,
    region: app.region,
    ...content,
    partners: app.partners.map((p) => ({
      region: p.region,
      status: p.confirmedAt ? 'confirmed' : 'invited',
      invitedAt: p.invitedAt,
      ...(p.confirmedAt ? { confirmedAt: p.confirmedAt } : {}),
    })),
    status: app.status,
    version: app.version,
    submissions: (app.submissions ?? []).map((s) => s.receipt),
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
    ...(app.submittedAt ? { submittedAt: app.submittedAt.toISOString() } : {}),
    ...(app.withdrawnAt ? { withdrawnAt: app.withdrawnAt.toISOString() } : {}),
    ...(app.withdrawalReason ? { withdrawalReason: app.withdrawalReason } : {}),
    ...(app.stage ? { stage: app.stage } : {}),
  };
}

const draftOf = (app: StoredApplication): DraftApplication => ({
  id: app._id,
  callId: app.callId,
  pilotType: app.pilotType,
  region: app.region,
  ...Object.fromEntries(contentFields.flatMap((f) => (app[f] === undefined ? [] : [[f, app[f]]]))),
  partners: app.partners,
});

/** The request's id when it is a uuid (the caller's `x-request-id`), so events join the caller's trail. */
function causeOf(req: Request): Cause {
  const principal = principalOf(req);
  const requestId = String((req as { id?: unknown }).id ?? '');
  return {
    actor: { kind: 'user', sub: principal.sub, roles: [...principal.roles] },
    correlationId: z.uuid().safeParse(requestId).success ? requestId : randomUUID(),
  };
}

function answer(res: Response, status: number, app: StoredApplication): void {
  tagVersion(res, app.version);
  res.status(status).json(viewOf(app));
}

/** The principal's region, which every region-only route needs. */
function regionOf(principal: Principal): string {
  if (!principal.region) throw forbidden('this needs a token that names your region');
  return principal.region;
}

/** A body that is optional: an empty request is `{}`, anything sent must be JSON and valid. */
function optionalBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const sent = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
  return sent ? parseBody(schema, req) : schema.parse({});
}

const busy = () =>
  new HttpProblem(
    503,
    'Service Unavailable',
    'the application kept changing under this request; retry',
    undefined,
    {
      'Retry-After': '1',
    },
  );

const scopes = new WeakMap<Request, ScopedCollection<ApplicationDocument>>();

/** The principal's view of the applications, built once per request by the scope middleware. */
function scopedOf(req: Request): ScopedCollection<ApplicationDocument> {
  const scoped = scopes.get(req);
  if (!scoped) throw new Error('the tenancy scope was not set up for this route');
  return scoped;
}

/** What a state change writes besides `updatedAt` and the version. */
interface Change {
  set: Partial<ApplicationDocument>;
  events: AnyEnvelope[];
  /** Other arrays to append to in the same write (a frozen submission). */
  push?: Document;
}

interface ChangeOptions {
  action: ApplicationAction;
  /** Who may do it on this application (403 otherwise), and the write's own filter for it. */
  authorize: (app: StoredApplication) => Filter<ApplicationDocument>;
  /** The change to make, or undefined when there is nothing to write (a repeat). */
  decide: (app: StoredApplication, now: Date) => Promise<Change | undefined> | Change | undefined;
}

export function applicationRoutes(deps: ApplicationRoutesDependencies): Router {
  const { applications, calls, poke } = deps;
  const router = Router();
  const regions = requireRole('region');
  const oneAnswerPerKey = idempotency(deps.idempotencyKeys);
  const idOf = (req: Request) => String(req.params.id);

  const asLead = (principal: Principal) => (app: StoredApplication) => {
    const region = regionOf(principal);
    if (app.region !== region) throw forbidden('only the lead region may do this');
    return { region };
  };

  /**
   * One state change of one application: read it through the scope, check who may act, the
   * version the client read and the status, decide, then ONE conditional `updateOne` that sets
   * the state, bumps the version and appends the events to the outbox. When another instance
   * wrote in between, it reads again (or answers 412 when the client named the version it read).
   */
  async function change(req: Request, options: ChangeOptions): Promise<StoredApplication> {
    const scoped = scopedOf(req);
    const expected = ifMatchVersion(req);
    const id = idOf(req);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const done = await applications.exclusive(id, async () => {
        const app = await scoped.findOne({ _id: id }, { projection: { outbox: 0 } });
        if (!app) throw notFound('no such application');
        const writer = options.authorize(app);
        if (expected !== undefined && expected !== app.version) throw preconditionFailed(app.version);
        const now = new Date();
        const refused = actionRefusal(app, options.action, now);
        if (refused) throw refused.status === 409 ? conflict(refused.detail) : unprocessable(refused.detail);
        const decided = await options.decide(app, now);
        if (!decided) return app;
        const push = { ...(decided.events.length > 0 ? pushToOutbox(decided.events) : {}), ...decided.push };
        const { matchedCount } = await scoped.updateOne(
          { _id: id, status: app.status, version: app.version, ...writer },
          {
            $set: { ...decided.set, updatedAt: now },
            $inc: { version: 1 },
            ...(Object.keys(push).length > 0 ? { $push: push } : {}),
          },
        );
        if (matchedCount === 0) return undefined;
        if (decided.events.length > 0) poke(id);
        const changed: StoredApplication = {
          ...app,
          ...decided.set,
          version: app.version + 1,
          updatedAt: now,
        };
        return changed;
      });
      if (done) return done;
    }
    throw busy();
  }

  // The tenancy scope, once per request: handlers below read and write only through it.
  router.use('/api/applications', (req, _res, next) => {
    const scoped = applications.scopedFor(principalOf(req));
    if (!scoped) throw forbidden('your role does not see applications');
    scopes.set(req, scoped);
    next();
  });

  router.post('/api/applications', regions, oneAnswerPerKey, async (req, res) => {
    const body = parseBody(applicationDraftBody, req);
    const lead = regionOf(principalOf(req));
    if (!countryOf(lead)) throw forbidden(`your region ${lead} is not a NUTS-2 region this platform knows`);
    const now = new Date();
    const window = applicationWindow(await calls.find(body.callId), now);
    if (!window.open) throw unprocessable(window.detail, [{ path: 'body.callId', message: window.detail }]);
    const { call } = window;
    const partners = body.partners ?? [];
    const problems = [...leadProblems(lead, call), ...partnerProblems(lead, partners, call.pilotType)];
    if (problems.length > 0) {
      throw unprocessable(
        'the application breaks the rules of its call',
        problems.map((p) => ({ ...p, path: `body.${p.path}` })),
      );
    }

    const id = newId(now.getTime());
    const cause = causeOf(req);
    const { callId, partners: _partners, ...content } = body;
    const invited = replacePartners([], partners, now.toISOString());
    const application: ApplicationDocument = {
      _id: id,
      callId,
      pilotType: call.pilotType,
      region: lead,
      ...content,
      partners: invited.partners,
      partnerRegions: partners,
      status: 'draft',
      version: 1,
      submissions: [],
      createdBy: principalOf(req).sub,
      createdAt: now,
      updatedAt: now,
      outbox: [
        applicationDrafted({ id, callId, region: lead }, cause, now),
        ...invited.invited.map((partner) => partnerInvited(id, lead, partner, cause, now)),
      ],
    };
    await applications.insert(application);
    poke(id);
    res.location(`/api/applications/${id}`);
    const { outbox: _outbox, ...stored } = application;
    answer(res, 201, stored);
  });

  router.get('/api/applications', async (req, res) => {
    const query = parseQuery(applicationListQuery, req);
    const filter: Filter<ApplicationDocument> = {
      ...afterCursor(query.cursor),
      ...(query.callId ? { callId: query.callId } : {}),
      ...(query.status ? { status: query.status } : {}),
    };
    const docs = await scopedOf(req)
      .find(filter, { projection: { outbox: 0 } })
      .sort({ _id: -1 })
      .limit(query.limit + 1)
      .toArray();
    res.json(pageOf(docs, query.limit, viewOf));
  });

  router.get('/api/applications/:id', async (req, res) => {
    const app = await scopedOf(req).findOne({ _id: idOf(req) }, { projection: { outbox: 0 } });
    if (!app) throw notFound('no such application');
    answer(res, 200, app);
  });

  router.get('/api/applications/:id/submissions/:version', async (req, res) => {
    const params = submissionParams.safeParse(req.params);
    if (!params.success) throw notFound('no such submission');
    const app = await scopedOf(req).findOne({ _id: params.data.id }, { projection: { submissions: 1 } });
    const submission = app?.submissions?.find((s) => s.receipt.submissionVersion === params.data.version);
    if (!submission) throw notFound('no such submission');
    res.json({ snapshot: submission.snapshot, receipt: submission.receipt });
  });

  router.patch('/api/applications/:id', regions, async (req, res) => {
    const patch = parseBody(applicationPatchBody, req);
    const principal = principalOf(req);
    const cause = causeOf(req);
    const app = await change(req, {
      action: 'edit',
      authorize: asLead(principal),
      decide: (current, now) => {
        const { partners, s3Strategy, ...content } = patch;
        const set: Partial<ApplicationDocument> = { ...content };
        // Steps not named keep their summary: a region writes its strategy one step at a time.
        if (s3Strategy) set.s3Strategy = { ...current.s3Strategy, ...s3Strategy };
        const events: AnyEnvelope[] = [];
        if (partners) {
          const problems = partnerProblems(current.region, partners, current.pilotType);
          if (problems.length > 0) {
            throw unprocessable(
              'the partners break the rules of the call',
              problems.map((p) => ({ ...p, path: `body.${p.path}` })),
            );
          }
          const changed = replacePartners(current.partners, partners, now.toISOString());
          set.partners = changed.partners;
          set.partnerRegions = partners;
          events.push(
            ...changed.invited.map((p) => partnerInvited(current._id, current.region, p, cause, now)),
            ...changed.removed.map((p) => partnerRemoved(current._id, current.region, p, cause, now)),
          );
        }
        return { set, events };
      },
    });
    answer(res, 200, app);
  });

  router.post(
    '/api/applications/:id/partners/:nutsCode/confirm',
    regions,
    oneAnswerPerKey,
    async (req, res) => {
      const principal = principalOf(req);
      const region = regionOf(principal);
      const cause = causeOf(req);
      const partner = String(req.params.nutsCode);
      const app = await change(req, {
        action: 'confirm-partner',
        authorize: (current) => {
          if (partner !== region) throw forbidden('a region confirms its own partnership only');
          if (!current.partnerRegions.includes(region))
            throw notFound(`${partner} is not a partner of this application`);
          return { partnerRegions: region };
        },
        decide: (current, now) => {
          const confirmation = confirmPartner(current.partners, region, now.toISOString());
          if (confirmation.kind !== 'confirmed') return undefined;
          return {
            set: { partners: confirmation.partners },
            events: [partnerConfirmed(current._id, region, cause, now)],
          };
        },
      });
      answer(res, 200, app);
    },
  );

  router.post('/api/applications/:id/submit', regions, oneAnswerPerKey, async (req, res) => {
    const principal = principalOf(req);
    const cause = causeOf(req);
    let receipt: SubmissionReceipt | undefined;
    const app = await change(req, {
      action: 'submit',
      authorize: asLead(principal),
      decide: async (current, now) => {
        // A first submission needs the call open; a resubmission in revision only its rules.
        const window = submissionWindow(
          await calls.find(current.callId),
          now,
          isResubmission(current.status),
        );
        if (!window.open) throw unprocessable(window.detail, [{ path: 'callId', message: window.detail }]);
        const check = checkSubmission(draftOf(current), window.call);
        if (!check.ok) throw unprocessable('the application is not complete for its call', check.errors);
        receipt = {
          applicationId: current._id,
          submissionVersion: (current.submissions?.length ?? 0) + 1,
          contentHash: contentHash(check.application),
          submittedAt: now.toISOString(),
        };
        return {
          set: { status: 'submitted', submittedAt: now },
          push: { submissions: { snapshot: check.application, receipt } },
          events: [applicationSubmitted(check.application, receipt, cause, now)],
        };
      },
    });
    if (!receipt) throw new Error('a submission was written without its receipt');
    tagVersion(res, app.version);
    res.location(`/api/applications/${app._id}/submissions/${receipt.submissionVersion}`);
    res.status(201).json(receipt);
  });

  router.post('/api/applications/:id/withdraw', regions, oneAnswerPerKey, async (req, res) => {
    const { reason } = optionalBody(withdrawalBody, req);
    const principal = principalOf(req);
    const cause = causeOf(req);
    const app = await change(req, {
      action: 'withdraw',
      authorize: asLead(principal),
      decide: (current, now) => ({
        set: { status: 'withdrawn', withdrawnAt: now, ...(reason ? { withdrawalReason: reason } : {}) },
        events: [applicationWithdrawn(current._id, reason, cause, now)],
      }),
    });
    answer(res, 200, app);
  });

  return router;
}
