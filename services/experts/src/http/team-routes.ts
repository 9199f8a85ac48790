import { replaceMemberBody } from '@s3p/contracts';
import type { Principal } from '@s3p/service-kit';
import { HttpProblem, notFound, parseBody, principalOf, requireRole } from '@s3p/service-kit';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Request } from 'express';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Assignments } from '../store/assignments';
import type { TeamStore } from '../store/teams';
import type { TeamClient } from '../team-client';
import type { Sender, TeamView } from '../workflows/messages';
import { refusedStep, replaceMemberUpdate, retryUpdate } from '../workflows/messages';
import { maySeeTeam, visibleTeam } from './team-access';
import { memberParams, pilotParams } from './team-schemas';

export interface TeamRoutesDependencies {
  teams: TeamClient;
  teamStore: TeamStore;
  assignments: Assignments;
  logger: Logger;
}

export const senderOf = (principal: Principal): Sender => ({
  actor: { kind: 'user', sub: principal.sub, roles: [...principal.roles] },
});

/** A step the workflow refused becomes 409 with its reason; a team whose workflow ended takes no step. */
export async function stepOn(
  teams: TeamClient,
  team: TeamView,
  step: () => Promise<TeamView>,
): Promise<TeamView> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new HttpProblem(
        409,
        'Conflict',
        `the team of ${team.pilotId} is ${team.phase}: it takes no more steps`,
      );
    }
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === refusedStep) {
      throw new HttpProblem(409, 'Conflict', cause.message);
    }
    throw error;
  }
}

/** The pilots' expert teams (API.md, "Expert teams"). */
export function teamRoutes({ teams, teamStore }: TeamRoutesDependencies): Router {
  const router = Router();

  /** The team from its workflow, or as last recorded once the workflow is gone; 404 when unseen. */
  async function teamFor(req: Request): Promise<TeamView> {
    const parsed = pilotParams.safeParse({ id: req.params.id });
    if (!parsed.success) throw notFound('no such team');
    const team = (await teams.view(parsed.data.id)) ?? (await teamStore.view(parsed.data.id));
    if (!team || !maySeeTeam(principalOf(req), team)) throw notFound('no such team');
    return team;
  }

  router.get('/api/pilots/:id/team', async (req, res) => {
    res.json(visibleTeam(principalOf(req), await teamFor(req)));
  });

  router.post('/api/pilots/:id/team/retry', requireRole('programme-manager'), async (req, res) => {
    const team = await teamFor(req);
    const by = senderOf(principalOf(req));
    res.json(await stepOn(teams, team, () => teams.update(team.pilotId, retryUpdate, { by })));
  });

  router.post(
    '/api/pilots/:id/team/members/:expertId/replace',
    requireRole('programme-manager'),
    async (req, res) => {
      const params = memberParams.safeParse(req.params);
      if (!params.success) throw notFound('no such member');
      const body = parseBody(replaceMemberBody, req);
      const team = await teamFor(req);
      const by = senderOf(principalOf(req));
      const replaced = await stepOn(teams, team, () =>
        teams.update(team.pilotId, replaceMemberUpdate, {
          by,
          expertId: params.data.expertId,
          reason: body.reason,
        }),
      );
      res.json(replaced);
    },
  );

  return router;
}
