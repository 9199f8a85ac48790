import { ApiDescription } from '@s3p/service-kit';
import { describeNotificationRoutes } from './notification-api';

/** The notifications service's OpenAPI document, from the schemas that validate its requests. */
export const notificationsApi = (version: string): ApiDescription =>
  describeNotificationRoutes(new ApiDescription('S3P notifications', version));
