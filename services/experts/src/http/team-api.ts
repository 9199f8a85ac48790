import { declineBody, replaceMemberBody } from '@s3p/contracts';
import type { ApiDescription } from '@s3p/service-kit';
import {
  assignmentList,
  assignmentListQuery,
  assignmentParams,
  memberParams,
  pilotParams,
  teamView,
} from './team-schemas';

/** The teams' and assignments' operations, added to the experts service's OpenAPI document. */
export function describeTeamRoutes(api: ApiDescription): ApiDescription {
  const team = (description: string) => ({ 200: { description, schema: teamView } });
  return api
    .add({
      method: 'get',
      path: '/api/pilots/:id/team',
      summary:
        "The pilot's expert team and why each member was chosen. The Commission also sees why other experts were passed over; the region and the team's experts see the team only.",
      tags: ['teams'],
      roles: ['programme-manager', 'approver', 'auditor', 'region', 'expert'],
      params: pilotParams,
      responses: team('The team'),
      errors: [404],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/team/retry',
      summary: 'Propose the team again after it failed (for instance once experts were added to the pool)',
      tags: ['teams'],
      roles: ['programme-manager'],
      params: pilotParams,
      responses: team('The team after the new proposal'),
      errors: [404, 409],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/team/members/:expertId/replace',
      summary:
        'A member leaves the team (illness, a conflict found late): its capacity is freed and the next best expert is invited; the pilot goes on',
      tags: ['teams'],
      roles: ['programme-manager'],
      params: memberParams,
      body: replaceMemberBody,
      responses: team('The team with the seat reopened'),
      errors: [400, 404, 409],
    })
    .add({
      method: 'get',
      path: '/api/assignments',
      summary: 'My invitations to expert teams and the seats I hold (`all=true`: also those that ended)',
      tags: ['assignments'],
      roles: ['expert'],
      query: assignmentListQuery,
      responses: { 200: { description: 'My assignments, newest first', schema: assignmentList } },
      errors: [400],
    })
    .add({
      method: 'post',
      path: '/api/assignments/:id/accept',
      summary: 'Accept an invitation to a team, before its deadline',
      tags: ['assignments'],
      roles: ['expert'],
      params: assignmentParams,
      responses: team('The team'),
      errors: [404, 409],
    })
    .add({
      method: 'post',
      path: '/api/assignments/:id/decline',
      summary: 'Decline an invitation, with a reason: the next best expert is invited instead',
      tags: ['assignments'],
      roles: ['expert'],
      params: assignmentParams,
      body: declineBody,
      responses: team('The team'),
      errors: [400, 404, 409],
    });
}
