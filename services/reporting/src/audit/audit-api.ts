import type { ApiDescription } from '@s3p/service-kit';
import { auditListQuery, auditPage, auditVerification, auditVerifyQuery } from './audit-schemas';

const tags = ['audit'];
const readers = ['auditor', 'programme-manager'] as const;

/** The audit trail's operations, added to the reporting service's OpenAPI document. */
export function describeAuditRoutes(api: ApiDescription): ApiDescription {
  return api
    .add({
      method: 'get',
      path: '/api/audit',
      summary:
        'The audit trail, newest first: every event of every topic once, with its actor, time, subject and type, chained by hashes',
      tags,
      roles: readers,
      query: auditListQuery,
      responses: { 200: { description: 'A page of audit entries', schema: auditPage } },
    })
    .add({
      method: 'get',
      path: '/api/audit/verify',
      summary:
        'Recomputes the whole hash chain; a broken one names its first broken entry. Give `entries` and `head` of an earlier verification to check that the chain still passes through it',
      tags,
      roles: readers,
      query: auditVerifyQuery,
      responses: {
        200: { description: 'Whether the chain is intact, and its head', schema: auditVerification },
      },
    })
    .add({
      method: 'get',
      path: '/api/exports/audit.jsonl',
      summary:
        'The whole audit trail in sequence order, one JSON entry per line (application/x-ndjson), to verify offline with verify-cli',
      tags,
      roles: readers,
      responses: { 200: { description: 'audit.jsonl, as an attachment' } },
    });
}
