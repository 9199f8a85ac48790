import {
  conditionsMetBody,
  conflictDeclarationBody,
  decisionBody,
  reviewBody,
  revisionBody,
} from '@s3p/contracts';
import type { Principal } from '@s3p/service-kit';
import {
  afterCursor,
  HttpProblem,
  notFound,
  pageOf,
  parseBody,
  parseQuery,
  principalOf,
  requireRole,
} from '@s3p/service-kit';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Request } from 'express';
import { Router } from 'express';
import type { Filter } from 'mongodb';
import type { Logger } from 'pino';
import type { PilotClient } from '../pilot-client';
import type { PilotDocument, PilotStore } from '../store/pilot-store';
import type { ReviewTasks } from '../store/review-tasks';
import type { Submissions } from '../store/submissions';
import type { PilotView, Sender } from '../workflows/messages';
import {
  confirmConditionsUpdate,
  decideUpdate,
  declareConflictUpdate,
  failureTypes,
  resubmitUpdate,
  submitConsensusUpdate,
  submitReviewUpdate,
} from '../workflows/messages';
import { mayReadContent, maySee, visiblePilot } from './pilot-access';
import { applicationVersionQuery, pilotListQuery, pilotParams, reviewListQuery } from './schemas';

export interface PilotRoutesDependencies {
  pilots: PilotClient;
  store: PilotStore;
  reviewTasks: ReviewTasks;
  submissions: Submissions;
  logger: Logger;
}

/** How long a resubmission's confirmation waits for the resubmitted version to arrive from Kafka. */
const submissionWaitMs = 10_000;

const idOf = (req: Request): string => {
  const parsed = pilotParams.safeParse(req.params);
  if (!parsed.success) throw notFound('no such pilot');
  return parsed.data.id;
};

const senderOf = (principal: Principal): Sender => ({
  actor: { kind: 'user', sub: principal.sub, roles: [...principal.roles] },
  ...(principal.region ? { region: principal.region } : {}),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A refused or failed step of a workflow, as the answer the caller needs. */
export function problemOfStep(error: unknown): HttpProblem {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  if (cause instanceof ApplicationFailure) {
    switch (cause.type) {
      case 'InvalidScores':
        return new HttpProblem(
          422,
          'Unprocessable Content',
          cause.message,
          (cause.details?.[0] ?? []) as never,
        );
      case failureTypes.budgetRefused:
        return new HttpProblem(409, 'Conflict', `the budget could not be reserved: ${cause.message}`);
      case 'BudgetUnavailable':
        return new HttpProblem(503, 'Service Unavailable', cause.message, undefined, { 'Retry-After': '10' });
      default:
        return new HttpProblem(409, 'Conflict', cause.message);
    }
  }
  throw error;
}

/** The pilots' HTTP surface (API.md, "Pilots and their stages"). */
export function pilotRoutes(deps: PilotRoutesDependencies): Router {
  const { pilots, store, reviewTasks, submissions } = deps;
  const router = Router();

  /** The pilot from its workflow, or as last recorded once the workflow is gone; 404 when unseen. */
  async function pilotFor(req: Request): Promise<PilotView> {
    const id = idOf(req);
    const view = (await pilots.view(id)) ?? (await store.find(id))?.view;
    if (!view || !maySee(principalOf(req), view)) throw notFound('no such pilot');
    return view;
  }

  /** A person's step on a pilot the caller may see. */
  async function step<Arg>(
    req: Request,
    update: Parameters<PilotClient['update']>[1],
    arg: Arg,
  ): Promise<PilotView> {
    const pilot = await pilotFor(req);
    try {
      return await pilots.update(pilot.pilotId, update as never, arg);
    } catch (error) {
      // The pilot exists (it was just read): its workflow has ended, and takes no more steps.
      if (error instanceof WorkflowNotFoundError) {
        throw new HttpProblem(
          409,
          'Conflict',
          `the pilot has ended (${pilot.stage}): no step can be taken on it any more`,
        );
      }
      throw problemOfStep(error);
    }
  }

  router.get(
    '/api/pilots',
    requireRole('programme-manager', 'approver', 'auditor', 'region'),
    async (req, res) => {
      const query = parseQuery(pilotListQuery, req);
      const principal = principalOf(req);
      const filter: Filter<PilotDocument> = {
        ...afterCursor(query.cursor),
        ...(query.stage ? { stage: query.stage } : {}),
        ...(query.callId ? { callId: query.callId } : {}),
      };
      // Named, not "anything but region": a token with several roles (region and reviewer) stays a region's.
      const commission = principal.roles.some((r) =>
        ['programme-manager', 'approver', 'auditor'].includes(r),
      );
      if (!commission) filter.$or = [{ region: principal.region }, { partners: principal.region }];
      const docs = await store.page(filter, query.limit);
      res.json(
        pageOf(docs, query.limit, ({ view: _view, _id, reviewers, ...summary }) => ({
          pilotId: _id,
          ...summary,
          // As in visiblePilot: a region never learns who reviews its application.
          ...(commission ? { reviewers } : {}),
        })),
      );
    },
  );

  router.get('/api/pilots/:id', async (req, res) => {
    const pilot = await pilotFor(req);
    res.json(visiblePilot(principalOf(req), pilot));
  });

  router.get('/api/pilots/:id/application', async (req, res) => {
    const pilot = await pilotFor(req);
    if (!mayReadContent(principalOf(req), pilot)) {
      throw new HttpProblem(
        403,
        'Forbidden',
        'declare first, for this application, that you have no conflict of interest (POST /api/pilots/{id}/conflicts)',
      );
    }
    const { version = pilot.submissionVersion } = parseQuery(applicationVersionQuery, req);
    // Only versions this pilot has taken up: a newer one is not the pilot's until it is resubmitted.
    if (version > pilot.submissionVersion) throw notFound(`version ${version} is not one of this pilot's`);
    const submission = await submissions.find(pilot.pilotId, version);
    if (!submission) throw notFound('the submitted application is not available yet');
    res.json({ application: submission.application, receipt: submission.receipt });
  });

  router.post('/api/pilots/:id/conflicts', requireRole('reviewer'), async (req, res) => {
    const body = parseBody(conflictDeclarationBody, req);
    const view = await step(req, declareConflictUpdate, { by: senderOf(principalOf(req)), ...body });
    res.status(201).json(visiblePilot(principalOf(req), view));
  });

  router.post('/api/pilots/:id/reviews', requireRole('reviewer'), async (req, res) => {
    const body = parseBody(reviewBody, req);
    const view = await step(req, submitReviewUpdate, { by: senderOf(principalOf(req)), ...body });
    res.status(201).json(visiblePilot(principalOf(req), view));
  });

  router.post('/api/pilots/:id/consensus', requireRole('reviewer'), async (req, res) => {
    const body = parseBody(reviewBody, req);
    const view = await step(req, submitConsensusUpdate, { by: senderOf(principalOf(req)), ...body });
    res.status(201).json(visiblePilot(principalOf(req), view));
  });

  router.post('/api/pilots/:id/decision', requireRole('approver'), async (req, res) => {
    const body = parseBody(decisionBody, req);
    const view = await step(req, decideUpdate, { by: senderOf(principalOf(req)), body });
    res.status(201).json(view);
  });

  router.post('/api/pilots/:id/conditions', requireRole('approver'), async (req, res) => {
    const body = parseBody(conditionsMetBody, req);
    const view = await step(req, confirmConditionsUpdate, { by: senderOf(principalOf(req)), ...body });
    res.status(201).json(view);
  });

  router.post('/api/pilots/:id/revision', requireRole('region'), async (req, res) => {
    const body = parseBody(revisionBody, req);
    const pilot = await pilotFor(req);
    if (pilot.stage !== 'revision') {
      throw new HttpProblem(
        409,
        'Conflict',
        `a revision is resubmitted in the revision stage, not in ${pilot.stage}`,
      );
    }
    // The region resubmitted through the applications service a moment ago: its event may be on its way.
    const deadline = Date.now() + submissionWaitMs;
    while (!(await submissions.find(pilot.pilotId, body.submissionVersion)) && Date.now() < deadline) {
      await sleep(250);
    }
    const view = await step(req, resubmitUpdate, { by: senderOf(principalOf(req)), ...body });
    res.status(201).json(visiblePilot(principalOf(req), view));
  });

  router.get('/api/reviews', requireRole('reviewer'), async (req, res) => {
    const query = parseQuery(reviewListQuery, req);
    const tasks = await reviewTasks.mine(principalOf(req).sub, query.all === 'true');
    res.json({
      items: tasks.map(({ _id: _key, requestId: _request, ...task }) => task),
    });
  });

  return router;
}
