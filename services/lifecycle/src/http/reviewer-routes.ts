import { fieldErrors, HttpProblem, notFound, parseBody, principalOf, requireRole } from '@s3p/service-kit';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { PilotClient } from '../pilot-client';
import type { PilotStore } from '../store/pilot-store';
import type { ReviewerDocument, ReviewerPool } from '../store/reviewer-pool';
import { poolChangedSignal } from '../workflows/messages';
import { reviewerBody, reviewerParams } from './schemas';

export interface ReviewerRoutesDependencies {
  pool: ReviewerPool;
  pilots: PilotClient;
  store: PilotStore;
  logger: Logger;
}

const viewOf = ({ _id, ...reviewer }: ReviewerDocument) => ({ id: _id, ...reviewer });

/** The reviewer pool the evaluation draws from, kept by programme managers. */
export function reviewerRoutes({ pool, pilots, store, logger }: ReviewerRoutesDependencies): Router {
  const router = Router();

  router.get('/api/reviewers', requireRole('programme-manager', 'auditor'), async (_req, res) => {
    res.json({ items: (await pool.list()).map(viewOf) });
  });

  router.get('/api/reviewers/:id', requireRole('programme-manager', 'auditor'), async (req, res) => {
    const parsed = reviewerParams.safeParse(req.params);
    const reviewer = parsed.success ? await pool.find(parsed.data.id) : null;
    if (!reviewer) throw notFound('no such reviewer');
    res.json(viewOf(reviewer));
  });

  router.put('/api/reviewers/:id', requireRole('programme-manager'), async (req, res) => {
    const parsed = reviewerParams.safeParse(req.params);
    // Not a lookup: a reviewer by that id could never be added, so the id itself is at fault.
    if (!parsed.success) {
      throw new HttpProblem(400, 'Bad Request', 'not a user id', fieldErrors(parsed.error, ['params']));
    }
    const body = parseBody(reviewerBody, req);
    const reviewer: ReviewerDocument = {
      _id: parsed.data.id,
      ...body,
      updatedAt: new Date().toISOString(),
      updatedBy: principalOf(req).sub,
    };
    const created = await pool.put(reviewer);
    // Pilots short of reviewers look again now rather than at their next retry.
    const waiting = await store.list({ stage: 'evaluation' }, 1_000);
    pilots
      .signalEvery(
        waiting.map((pilot) => pilot._id),
        poolChangedSignal,
      )
      .catch((error: unknown) => logger.warn({ err: error }, 'could not tell pilots that the pool changed'));
    res.status(created ? 201 : 200).json(viewOf(reviewer));
  });

  return router;
}
