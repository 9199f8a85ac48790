import { budgetReservationBody, callDraftBody, callPatchBody } from '@s3p/contracts';
import { ApiDescription, roles } from '@s3p/service-kit';
import { callListQuery, callPage, callParams, callView, reservationView } from './schemas';

const everyone = roles;
const tags = ['calls'];

/** The calls service's OpenAPI document, from the schemas that validate its requests. */
export function callsApi(version: string): ApiDescription {
  return new ApiDescription('S3P calls for interest', version)
    .add({
      method: 'post',
      path: '/api/calls',
      summary: 'Draft a call for interest',
      tags,
      roles: ['programme-manager'],
      body: callDraftBody,
      responses: { 201: { description: 'The draft, with its ETag and Location', schema: callView } },
      idempotent: true,
    })
    .add({
      method: 'get',
      path: '/api/calls',
      summary: 'List calls, newest first (drafts only for programme managers, auditors and services)',
      tags,
      roles: everyone,
      query: callListQuery,
      responses: { 200: { description: 'A page of calls', schema: callPage } },
    })
    .add({
      method: 'get',
      path: '/api/calls/:id',
      summary: 'Read a call, with its committed and remaining budget',
      tags,
      roles: everyone,
      params: callParams,
      responses: { 200: { description: 'The call, with its ETag', schema: callView } },
      errors: [404],
    })
    .add({
      method: 'patch',
      path: '/api/calls/:id',
      summary:
        'Amend a call. A draft changes freely; once published the pilot type is fixed, and once open ' +
        'so are the opening date, eligibility, priority sectors, criteria and pass threshold (409). ' +
        'A published call announces each amendment; new dates re-arm its timers.',
      tags,
      roles: ['programme-manager'],
      params: callParams,
      body: callPatchBody,
      responses: { 200: { description: 'The amended call', schema: callView } },
      errors: [404, 409, 422],
      conditional: true,
    })
    .add({
      method: 'post',
      path: '/api/calls/:id/publish',
      summary:
        'Publish a draft: scheduled until its opening date, or open at once when that has passed; ' +
        'refused (422) once its closing date has passed. Publishing a published call again answers the same.',
      tags,
      roles: ['programme-manager'],
      params: callParams,
      responses: { 200: { description: 'The published call', schema: callView } },
      errors: [404, 409, 422, 503],
      idempotent: true,
      conditional: true,
    })
    .add({
      method: 'post',
      path: '/api/calls/:id/close',
      summary: 'Close a scheduled or open call now',
      tags,
      roles: ['programme-manager'],
      params: callParams,
      responses: { 200: { description: 'The closed call', schema: callView } },
      errors: [404, 409],
      idempotent: true,
      conditional: true,
    })
    .add({
      method: 'post',
      path: '/api/calls/:id/reservations',
      summary:
        "Reserve part of an open or closed call's budget for an application (at approval). Never " +
        'over-commits; the same application and amount again answers the existing reservation (200).',
      tags,
      roles: ['programme-manager', 'approver', 'service'],
      params: callParams,
      body: budgetReservationBody,
      responses: {
        201: { description: 'Reserved', schema: reservationView },
        200: { description: 'Already reserved for this application', schema: reservationView },
      },
      errors: [404, 409, 422, 503],
      idempotent: true,
    });
}
