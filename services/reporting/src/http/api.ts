import { ApiDescription } from '@s3p/service-kit';
import { describeAuditRoutes } from '../audit/audit-api';
import { describeProjectionRoutes } from '../projections/projection-api';
import { describeReportRoutes } from './report-api';

/** The reporting service's OpenAPI document, from the schemas that validate its requests. */
export const reportingApi = (version: string): ApiDescription =>
  describeProjectionRoutes(
    describeAuditRoutes(describeReportRoutes(new ApiDescription('S3P reporting', version))),
  );
