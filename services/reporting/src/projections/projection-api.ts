import type { ApiDescription } from '@s3p/service-kit';
import {
  dashboardQuery,
  dashboardView,
  openDataQuery,
  opportunityPage,
  rebuildView,
  timelineParams,
  timelineView,
} from './projection-schemas';

const tags = ['read models'];
const readers = ['programme-manager', 'approver', 'auditor'] as const;

/** The read models' operations, added to the reporting service's OpenAPI document. */
export function describeProjectionRoutes(api: ApiDescription): ApiDescription {
  return api
    .add({
      method: 'get',
      path: '/api/pilots/:id/timeline',
      summary:
        'The pilot’s history, oldest first: every stage, decision, report and verdict, with who and when. Its lead and partner regions see it too, without the reviewers’ and the expert invitations’ steps',
      tags,
      roles: [...readers, 'region'],
      params: timelineParams,
      responses: { 200: { description: 'The timeline', schema: timelineView } },
      errors: [404],
    })
    .add({
      method: 'get',
      path: '/api/dashboard',
      summary:
        'Figures of the submitted applications, in total and by call, pilot type, member state (of the lead region) and current stage: applications, eligibility and approval rates, budget committed, and the days spent in each stage (completed stays)',
      tags,
      roles: readers,
      query: dashboardQuery,
      responses: { 200: { description: 'The figures', schema: dashboardView } },
    })
    .add({
      method: 'get',
      path: '/api/exports/pilots.csv',
      summary:
        'Every submitted application, one CSV record each (RFC 4180, UTF-8, a header line; text that a spreadsheet would run as a formula starts with an apostrophe)',
      tags,
      roles: readers,
      responses: { 200: { description: 'pilots.csv, as an attachment (text/csv)' } },
    })
    .add({
      method: 'get',
      path: '/api/open-data/calls',
      summary:
        'The published calls as CommonGrants opportunities, with their outcomes (applications received, eligible, approved, budget committed) in customFields',
      tags: ['open data'],
      roles: 'public',
      query: openDataQuery,
      responses: {
        200: { description: 'A CommonGrants paginated list of opportunities', schema: opportunityPage },
      },
    })
    .add({
      method: 'post',
      path: '/api/projections/rebuild',
      summary:
        'Rebuilds every read model from offset zero in a new consumer group; the figures are partial until the replay catches up',
      tags,
      roles: ['programme-manager'],
      responses: { 202: { description: 'The replay has started', schema: rebuildView } },
    });
}
