import {
  conditionsMetBody,
  conflictDeclarationBody,
  decisionBody,
  reviewBody,
  revisionBody,
} from '@s3p/contracts';
import { ApiDescription } from '@s3p/service-kit';
import { z } from 'zod';
import {
  applicationVersionQuery,
  pilotList,
  pilotListQuery,
  pilotParams,
  pilotView,
  reviewListQuery,
  reviewTaskList,
  reviewerBody,
  reviewerParams,
  reviewerView,
} from './schemas';

const tags = ['pilots'];
const pilotAnswer = (description: string) => ({ 201: { description, schema: pilotView } });

/** The lifecycle service's OpenAPI document, from the schemas that validate its requests. */
export function lifecycleApi(version: string): ApiDescription {
  return new ApiDescription('S3P pilot lifecycle', version)
    .add({
      method: 'get',
      path: '/api/pilots',
      summary:
        'List pilots, a page at a time (`?limit=&cursor=`), most recently submitted first, of one stage or call if asked (a region: only those it leads or partners in)',
      tags,
      roles: ['programme-manager', 'approver', 'auditor', 'region'],
      query: pilotListQuery,
      responses: { 200: { description: 'Pilots with their stage', schema: pilotList } },
    })
    .add({
      method: 'get',
      path: '/api/pilots/:id',
      summary:
        'A pilot from its workflow: stage, history of stage changes with actor and reason, pending ' +
        'tasks (who must do what by when). A region does not see who its reviewers are.',
      tags,
      roles: ['programme-manager', 'approver', 'auditor', 'region', 'reviewer', 'expert'],
      params: pilotParams,
      responses: { 200: { description: 'The pilot', schema: pilotView } },
      errors: [404],
    })
    .add({
      method: 'get',
      path: '/api/pilots/:id/application',
      summary:
        'The submitted application under evaluation (`?version=` an earlier one the pilot took up, for the diff of a revision); a reviewer reads it only after declaring that it has no conflict of interest',
      tags,
      roles: ['programme-manager', 'approver', 'auditor', 'region', 'reviewer', 'expert'],
      params: pilotParams,
      query: applicationVersionQuery,
      responses: {
        200: { description: 'The frozen application and its receipt', schema: z.object({}).passthrough() },
      },
      errors: [400, 403, 404],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/conflicts',
      summary:
        'An assigned reviewer declares, for this application, a conflict of interest (it is replaced) or none (it may then read the application)',
      tags,
      roles: ['reviewer'],
      params: pilotParams,
      body: conflictDeclarationBody,
      responses: pilotAnswer('The declaration is recorded'),
      errors: [404, 409],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/reviews',
      summary: 'An assigned reviewer scores every criterion of the call, within its range',
      tags,
      roles: ['reviewer'],
      params: pilotParams,
      body: reviewBody,
      responses: pilotAnswer('The review is recorded'),
      errors: [404, 409, 422],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/consensus',
      summary: "A pilot's reviewer submits the panel's agreed scores when their scores differed too much",
      tags,
      roles: ['reviewer'],
      params: pilotParams,
      body: reviewBody,
      responses: pilotAnswer('The agreed scores are recorded'),
      errors: [404, 409, 422],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/decision',
      summary:
        'An approver who did not review the pilot approves (reserving the budget: 409 when short), approves with conditions, rejects, or asks for revision by a date',
      tags,
      roles: ['approver'],
      params: pilotParams,
      body: decisionBody,
      responses: pilotAnswer('The decision is taken'),
      errors: [404, 409, 503],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/conditions',
      summary:
        "An approver confirms that the region met an approval's conditions; the budget is reserved (409 when short)",
      tags,
      roles: ['approver'],
      params: pilotParams,
      body: conditionsMetBody,
      responses: pilotAnswer('The approval is final'),
      errors: [404, 409, 503],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/revision',
      summary:
        'The lead region names its resubmission (made through the applications service) that answers a request for revision; it goes back to evaluation',
      tags,
      roles: ['region'],
      params: pilotParams,
      body: revisionBody,
      responses: pilotAnswer('The revision is taken up'),
      errors: [404, 409],
    })
    .add({
      method: 'get',
      path: '/api/reviews',
      summary: 'My evaluation tasks, soonest deadline first',
      tags,
      roles: ['reviewer'],
      query: reviewListQuery,
      responses: { 200: { description: 'My tasks', schema: reviewTaskList } },
    })
    .add({
      method: 'get',
      path: '/api/reviewers',
      summary: 'The reviewer pool',
      tags: ['reviewers'],
      roles: ['programme-manager', 'auditor'],
      responses: {
        200: { description: 'Every reviewer', schema: z.object({ items: z.array(reviewerView) }) },
      },
    })
    .add({
      method: 'get',
      path: '/api/reviewers/:id',
      summary: 'One reviewer of the pool',
      tags: ['reviewers'],
      roles: ['programme-manager', 'auditor'],
      params: reviewerParams,
      responses: { 200: { description: 'The reviewer', schema: reviewerView } },
      errors: [404],
    })
    .add({
      method: 'put',
      path: '/api/reviewers/:id',
      summary: 'Add a reviewer (by user id) to the pool or change its country, conflicts or availability',
      tags: ['reviewers'],
      roles: ['programme-manager'],
      params: reviewerParams,
      body: reviewerBody,
      responses: {
        200: { description: 'The reviewer, changed', schema: reviewerView },
        201: { description: 'The reviewer, added', schema: reviewerView },
      },
    });
}
