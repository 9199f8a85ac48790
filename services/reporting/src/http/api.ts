import { ApiDescription } from '@s3p/service-kit';
import { describeReportRoutes } from './report-api';

/** The reporting service's OpenAPI document, from the schemas that validate its requests. */
export const reportingApi = (version: string): ApiDescription =>
  describeReportRoutes(new ApiDescription('S3P reporting', version));
