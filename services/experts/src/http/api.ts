import { ApiDescription } from '@s3p/service-kit';
import { describeExpertRoutes } from './expert-api';
import { describeTeamRoutes } from './team-api';

/** The experts service's OpenAPI document, from the schemas that validate its requests. */
export const expertsApi = (version: string): ApiDescription =>
  describeTeamRoutes(describeExpertRoutes(new ApiDescription('S3P experts', version)));
