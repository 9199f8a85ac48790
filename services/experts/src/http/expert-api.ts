import { expertBody, expertPatchBody } from '@s3p/contracts';
import type { ApiDescription } from '@s3p/service-kit';
import { expertListQuery, expertPage, expertParams, expertView } from './expert-schemas';

const tags = ['experts'];
const readers = ['programme-manager', 'approver', 'auditor'] as const;

/** The registry's operations, added to the experts service's OpenAPI document. */
export function describeExpertRoutes(api: ApiDescription): ApiDescription {
  return api
    .add({
      method: 'post',
      path: '/api/experts',
      summary:
        'An expert joins the registry, by the user id it signs in with: expertise domains, support areas, country, languages, capacity, availability and declared conflicts',
      tags,
      roles: ['programme-manager'],
      body: expertBody,
      responses: { 201: { description: 'The expert, at version 1 (its ETag)', schema: expertView } },
      errors: [409],
    })
    .add({
      method: 'get',
      path: '/api/experts',
      summary: 'The registry by expert id, with each expert’s workload (load of capacity)',
      tags,
      roles: readers,
      query: expertListQuery,
      responses: { 200: { description: 'A page of experts', schema: expertPage } },
    })
    .add({
      method: 'get',
      path: '/api/experts/:id',
      summary: 'One expert of the registry, with its workload',
      tags,
      roles: readers,
      params: expertParams,
      responses: { 200: { description: 'The expert, with its version as ETag', schema: expertView } },
      errors: [404],
    })
    .add({
      method: 'patch',
      path: '/api/experts/:id',
      summary:
        'Change an expert’s entry; a capacity below its current load keeps the seats it holds and gives it no new one',
      tags,
      roles: ['programme-manager'],
      params: expertParams,
      body: expertPatchBody,
      conditional: true,
      responses: { 200: { description: 'The expert, changed', schema: expertView } },
      errors: [404, 503],
    });
}
