import { finalReportBody, milestoneReportBody, verificationBody } from '@s3p/contracts';
import type { ApiDescription } from '@s3p/service-kit';
import { z } from 'zod';
import {
  fileParams,
  fileUploadQuery,
  fileView,
  finalReportView,
  milestoneList,
  milestoneListQuery,
  milestonePage,
  milestoneParams,
  milestoneView,
  pilotParams,
} from './report-schemas';

const readers = ['programme-manager', 'approver', 'auditor', 'region'] as const;

/** The milestones', files' and final reports' operations, added to the service's OpenAPI document. */
export function describeReportRoutes(api: ApiDescription): ApiDescription {
  return api
    .add({
      method: 'get',
      path: '/api/pilots/:id/milestones',
      summary:
        "The pilot's milestones from its approved work plan, with reports and verdicts (a region: its own pilots)",
      tags: ['milestones'],
      roles: [...readers],
      params: pilotParams,
      responses: { 200: { description: 'The milestones, in work-plan order', schema: milestoneList } },
      errors: [404],
    })
    .add({
      method: 'get',
      path: '/api/milestones',
      summary:
        'Milestones across pilots, by status (planned, due, overdue, reported, accepted, rejected), soonest due first',
      tags: ['milestones'],
      roles: [...readers],
      query: milestoneListQuery,
      responses: { 200: { description: 'A page of the milestones', schema: milestonePage } },
      errors: [400],
    })
    .add({
      method: 'get',
      path: '/api/milestones/:id',
      summary: 'One milestone',
      tags: ['milestones'],
      roles: [...readers],
      params: milestoneParams,
      responses: { 200: { description: 'The milestone', schema: milestoneView } },
      errors: [404],
    })
    .add({
      method: 'post',
      path: '/api/milestones/:id/reports',
      summary: 'A progress report on a milestone (the lead region), while it is open or after a rejection',
      tags: ['milestones'],
      roles: ['region'],
      params: milestoneParams,
      body: milestoneReportBody,
      responses: { 201: { description: 'The milestone, reported', schema: milestoneView } },
      errors: [400, 403, 404, 409, 422],
    })
    .add({
      method: 'post',
      path: '/api/milestones/:id/verification',
      summary:
        "An auditor's verdict on the milestone's report: accepted, or rejected with a note back to the region",
      tags: ['milestones'],
      roles: ['auditor'],
      params: milestoneParams,
      body: verificationBody,
      responses: { 201: { description: 'The milestone with its verdict', schema: milestoneView } },
      errors: [400, 404, 409],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/files',
      summary:
        'Upload one report file (the lead region): the body is the content, Content-Type one of the report types, at most FILE_MAX_BYTES; the answer has its SHA-256',
      tags: ['files'],
      roles: ['region'],
      params: pilotParams,
      query: fileUploadQuery,
      responses: { 201: { description: 'The stored file', schema: fileView } },
      errors: [400, 403, 404, 413, 415, 422],
    })
    .add({
      method: 'get',
      path: '/api/files/:id',
      summary: 'A report file, as uploaded (X-Content-SHA256 carries its hash)',
      tags: ['files'],
      roles: [...readers],
      params: fileParams,
      responses: { 200: { description: 'The content', schema: z.string() } },
      errors: [404],
    })
    .add({
      method: 'get',
      path: '/api/pilots/:id/final-report',
      summary: "The pilot's final report, its versions and verdicts",
      tags: ['final report'],
      roles: [...readers],
      params: pilotParams,
      responses: { 200: { description: 'The final report', schema: finalReportView } },
      errors: [404],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/final-report',
      summary: 'The final report (the lead region), once every milestone is accepted',
      tags: ['final report'],
      roles: ['region'],
      params: pilotParams,
      body: finalReportBody,
      responses: { 201: { description: 'The final report, submitted', schema: finalReportView } },
      errors: [400, 403, 404, 409, 422],
    })
    .add({
      method: 'post',
      path: '/api/pilots/:id/final-report/verification',
      summary:
        "An auditor's verdict on the final report: accepted closes the pilot, rejected returns it with a note",
      tags: ['final report'],
      roles: ['auditor'],
      params: pilotParams,
      body: verificationBody,
      responses: { 201: { description: 'The final report with its verdict', schema: finalReportView } },
      errors: [400, 404, 409],
    });
}
