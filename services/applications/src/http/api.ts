import { applicationDraftBody, applicationPatchBody, submissionReceipt } from '@s3p/contracts';
import { ApiDescription } from '@s3p/service-kit';
import {
  applicationListQuery,
  applicationPage,
  applicationView,
  idParams,
  partnerParams,
  submissionParams,
  submissionView,
  withdrawalBody,
} from './schemas';

const readers = ['region', 'programme-manager', 'auditor', 'approver'] as const;
const tags = ['applications'];

/** The applications service's OpenAPI document, from the schemas that validate its requests. */
export function applicationsApi(version: string): ApiDescription {
  return new ApiDescription('S3P applications', version)
    .add({
      method: 'post',
      path: '/api/applications',
      summary:
        'Draft an application to an open call, as the lead region (from your token); partners of a partnership are invited',
      tags,
      roles: ['region'],
      body: applicationDraftBody,
      responses: { 201: { description: 'The draft, with its ETag and Location', schema: applicationView } },
      errors: [422],
      idempotent: true,
    })
    .add({
      method: 'get',
      path: '/api/applications',
      summary: 'List applications, newest first: a region sees its own and those it is a partner in',
      tags,
      roles: readers,
      query: applicationListQuery,
      responses: { 200: { description: 'A page of applications', schema: applicationPage } },
    })
    .add({
      method: 'get',
      path: '/api/applications/:id',
      summary: 'Read an application',
      tags,
      roles: readers,
      params: idParams,
      responses: { 200: { description: 'The application, with its ETag', schema: applicationView } },
      errors: [404],
    })
    .add({
      method: 'patch',
      path: '/api/applications/:id',
      summary:
        'Change a draft, or an application in revision before its due date (lead region): named fields are replaced, S3 steps merged; new partners are invited, removed ones lose access. 409 in any other status, 422 after the revision was due',
      tags,
      roles: ['region'],
      params: idParams,
      body: applicationPatchBody,
      responses: { 200: { description: 'The draft after the change', schema: applicationView } },
      errors: [404, 409, 422],
      conditional: true,
    })
    .add({
      method: 'post',
      path: '/api/applications/:id/partners/:nutsCode/confirm',
      summary: 'Confirm a partnership, as the partner region itself',
      tags,
      roles: ['region'],
      params: partnerParams,
      responses: { 200: { description: 'The application with the confirmation', schema: applicationView } },
      errors: [404, 409],
      idempotent: true,
      conditional: true,
    })
    .add({
      method: 'post',
      path: '/api/applications/:id/submit',
      summary:
        'Submit a complete draft before the call closes, or resubmit an application in revision before its due date, the call open or not (lead region): freezes a new version and answers its receipt',
      tags,
      roles: ['region'],
      params: idParams,
      responses: {
        201: {
          description: 'The receipt; Location is the frozen submission. 422 lists every missing item.',
          schema: submissionReceipt,
        },
      },
      errors: [404, 409, 422],
      idempotent: true,
      conditional: true,
    })
    .add({
      method: 'get',
      path: '/api/applications/:id/submissions/:version',
      summary:
        "A frozen submission and its receipt: the sha256 of the snapshot's canonical JSON is the receipt's hash",
      tags,
      roles: readers,
      params: submissionParams,
      responses: { 200: { description: 'The snapshot and its receipt', schema: submissionView } },
      errors: [404],
    })
    .add({
      method: 'post',
      path: '/api/applications/:id/withdraw',
      summary:
        'Withdraw an application at any status before the decision, or in revision (lead region); the body is optional. 409 naming the status afterwards',
      tags,
      roles: ['region'],
      params: idParams,
      body: withdrawalBody,
      responses: { 200: { description: 'The withdrawn application', schema: applicationView } },
      errors: [404, 409],
      idempotent: true,
      conditional: true,
    });
}
