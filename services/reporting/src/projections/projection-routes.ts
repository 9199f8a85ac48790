import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '@s3p/service-kit';
import { notFound, parseQuery, principalOf, requireRole } from '@s3p/service-kit';
import type { Request } from 'express';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { PilotProjection } from './pilot-projection';
import { dashboardQuery, openDataQuery, timelineParams } from './projection-schemas';
import type { Projections } from './projections';
import type { TimelineEntry, TimelineVisibility } from './timeline-entries';

export interface ProjectionRoutesDependencies {
  projections: Projections;
  /** Starts a rebuild from offset zero: `ProjectionRunner.rebuild`. */
  rebuildProjections: () => Promise<{ generation: number }>;
  logger: Logger;
}

export interface OpenDataRoutesDependencies {
  projections: Projections;
}

const commission = ['programme-manager', 'approver', 'auditor'] as const;

const isCommission = (principal: Principal) =>
  principal.roles.some((role) => (commission as readonly string[]).includes(role));

const isPartyTo = (principal: Principal, pilot: PilotProjection) =>
  principal.roles.includes('region') &&
  principal.region !== undefined &&
  (principal.region === pilot.region || pilot.partners.includes(principal.region));

/** What the caller may read of the pilot's timeline; a pilot it may not read is, to it, not there. */
async function audienceFor(
  req: Request,
  projections: Projections,
): Promise<{ id: string; audience: TimelineVisibility }> {
  const parsed = timelineParams.safeParse(req.params);
  const pilot = parsed.success ? await projections.pilot(parsed.data.id) : null;
  const principal = principalOf(req);
  if (pilot && isCommission(principal)) return { id: pilot._id, audience: 'commission' };
  if (pilot && isPartyTo(principal, pilot)) return { id: pilot._id, audience: 'parties' };
  throw notFound('no such pilot');
}

const entryViewOf = ({ _id, pilotId: _pilotId, visibility: _visibility, ...entry }: TimelineEntry) => ({
  eventId: _id,
  ...entry,
});

/** The read models: each pilot's timeline, the dashboard, the CSV export, and their rebuild. */
export function projectionRoutes({
  projections,
  rebuildProjections,
  logger,
}: ProjectionRoutesDependencies): Router {
  const router = Router();
  const readers = requireRole(...commission);

  router.get('/api/pilots/:id/timeline', async (req, res) => {
    const { id, audience } = await audienceFor(req, projections);
    res.json({ pilotId: id, items: (await projections.timeline(id, audience)).map(entryViewOf) });
  });

  router.get('/api/dashboard', readers, async (req, res) => {
    res.json(await projections.dashboard(parseQuery(dashboardQuery, req)));
  });

  router.get('/api/exports/pilots.csv', readers, async (_req, res) => {
    res.attachment('pilots.csv').type('text/csv; charset=utf-8; header=present');
    try {
      await pipeline(Readable.from(projections.pilotsCsv()), res);
    } catch (error) {
      if (!res.headersSent) throw error;
      // The records sent cannot be taken back: the client sees a transfer cut short, not a shorter list.
      logger.warn({ err: error }, 'the pilots export stopped before its end');
    }
  });

  // 202: the replay goes on after the answer; the projections are partial until it catches up.
  router.post('/api/projections/rebuild', requireRole('programme-manager'), async (_req, res) => {
    res.status(202).json(await rebuildProjections());
  });

  return router;
}

/**
 * The calls as open data in the CommonGrants standard. Public, without a token: mount it before
 * `authenticate`. It shows published calls and aggregate outcomes only, nothing about a region's
 * application or a person.
 */
export function openDataRoutes({ projections }: OpenDataRoutesDependencies): Router {
  const router = Router();
  router.get('/api/open-data/calls', async (req, res) => {
    res.json(await projections.openData(parseQuery(openDataQuery, req)));
  });
  return router;
}
