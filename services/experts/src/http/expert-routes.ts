import { randomUUID } from 'node:crypto';
import { expertBody, expertPatchBody } from '@s3p/contracts';
import {
  conflict,
  HttpProblem,
  ifMatchVersion,
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
import { z } from 'zod';
import type { EventMeta, ExpertRegistry, StoredExpert } from '../store/expert-registry';
import { ExpertContention } from '../store/expert-registry';
import type { ExpertView } from './expert-schemas';
import { expertListQuery, expertParams } from './expert-schemas';

export interface ExpertRoutesDependencies {
  experts: ExpertRegistry;
  /** Wakes the outbox relay after a write that added events. */
  poke: () => void;
}

const expertViewOf = ({ _id, ...expert }: StoredExpert): ExpertView => ({ id: _id, ...expert });

/** The caller as the actor of the change, and its request id as the correlation id when it is a uuid. */
function metaOf(req: Request): EventMeta {
  const principal = principalOf(req);
  const requestId = String((req as { id?: unknown }).id ?? '');
  return {
    actor: { kind: 'user', sub: principal.sub, roles: [...principal.roles] },
    correlationId: z.uuid().safeParse(requestId).success ? requestId : randomUUID(),
  };
}

function answer(res: Response, status: number, expert: StoredExpert): void {
  tagVersion(res, expert.version);
  res.status(status).json(expertViewOf(expert));
}

/** An id that cannot be an expert's names none: 404, as for an unknown one. */
function expertIdOf(req: Request): string {
  const parsed = expertParams.safeParse(req.params);
  if (!parsed.success) throw notFound('no such expert');
  return parsed.data.id;
}

/** The registry of Commission experts, kept by programme managers. */
export function expertRoutes({ experts, poke }: ExpertRoutesDependencies): Router {
  const router = Router();
  const managers = requireRole('programme-manager');
  const readers = requireRole('programme-manager', 'approver', 'auditor');

  // No Idempotency-Key: the id is the client's, so a retried registration answers 409 and a read
  // of that id tells whether it is the same expert.
  router.post('/api/experts', managers, async (req, res) => {
    const body = parseBody(expertBody, req);
    const expert = await experts.register(body, principalOf(req).sub, metaOf(req));
    if (expert === 'exists') throw conflict(`expert ${body.id} is already in the registry`);
    poke();
    res.location(`/api/experts/${expert._id}`);
    answer(res, 201, expert);
  });

  router.get('/api/experts', readers, async (req, res) => {
    const query = parseQuery(expertListQuery, req);
    res.json(pageOf(await experts.list(query), query.limit, expertViewOf));
  });

  router.get('/api/experts/:id', readers, async (req, res) => {
    const expert = await experts.find(expertIdOf(req));
    if (!expert) throw notFound('no such expert');
    answer(res, 200, expert);
  });

  router.patch('/api/experts/:id', managers, async (req, res) => {
    const id = expertIdOf(req);
    const expected = ifMatchVersion(req);
    const patch = parseBody(expertPatchBody, req);
    const update = await experts
      .update(id, patch, expected, principalOf(req).sub, metaOf(req))
      .catch((error: unknown) => {
        if (!(error instanceof ExpertContention)) throw error;
        throw new HttpProblem(503, 'Service Unavailable', error.message, undefined, { 'Retry-After': '1' });
      });
    switch (update.outcome) {
      case 'unknown':
        throw notFound('no such expert');
      case 'stale':
        throw preconditionFailed(update.version);
      case 'updated':
        poke();
        return answer(res, 200, update.expert);
      case 'unchanged':
        return answer(res, 200, update.expert);
    }
  });

  return router;
}
