import { declineBody } from '@s3p/contracts';
import { notFound, parseBody, parseQuery, principalOf, requireRole } from '@s3p/service-kit';
import type { Request } from 'express';
import { Router } from 'express';
import type { AssignmentView } from '../store/assignments';
import type { TeamClient } from '../team-client';
import { answerInvitationUpdate } from '../workflows/messages';
import { assignmentListQuery, assignmentParams } from './team-schemas';
import type { TeamRoutesDependencies } from './team-routes';
import { senderOf, stepOn } from './team-routes';
import { visibleTeam } from './team-access';

/** An expert's invitations to teams, and its answers (API.md, "Expert teams"). */
export function assignmentRoutes({ teams, teamStore, assignments }: TeamRoutesDependencies): Router {
  const router = Router();

  /** The caller's own assignment; another expert's is, to it, not there. */
  async function ownAssignment(req: Request): Promise<AssignmentView> {
    const parsed = assignmentParams.safeParse(req.params);
    const assignment = parsed.success ? await assignments.find(parsed.data.id) : undefined;
    if (!assignment || assignment.expertId !== principalOf(req).sub) throw notFound('no such assignment');
    return assignment;
  }

  async function answer(
    req: Request,
    teamsClient: TeamClient,
    answer: 'accept' | 'decline',
    reason?: string,
  ) {
    const assignment = await ownAssignment(req);
    const principal = principalOf(req);
    const team = (await teamsClient.view(assignment.pilotId)) ?? (await teamStore.view(assignment.pilotId));
    if (!team) throw notFound('no such assignment');
    const answered = await stepOn(teamsClient, team, () =>
      teamsClient.update(assignment.pilotId, answerInvitationUpdate, {
        by: senderOf(principal),
        assignmentId: assignment.id,
        answer,
        ...(reason ? { reason } : {}),
      }),
    );
    return visibleTeam(principal, answered);
  }

  router.get('/api/assignments', requireRole('expert'), async (req, res) => {
    const query = parseQuery(assignmentListQuery, req);
    res.json({ items: await assignments.mine(principalOf(req).sub, query.all === 'true') });
  });

  router.post('/api/assignments/:id/accept', requireRole('expert'), async (req, res) => {
    res.json(await answer(req, teams, 'accept'));
  });

  router.post('/api/assignments/:id/decline', requireRole('expert'), async (req, res) => {
    const body = parseBody(declineBody, req);
    res.json(await answer(req, teams, 'decline', body.reason));
  });

  return router;
}
