import { serviceEnvironment } from '@s3p/service-kit';
import { z } from 'zod';

/** The applications service's environment, every variable with its embedded default. */
export const applicationsConfig = z.object({
  ...serviceEnvironment({ port: 8082, database: 's3p_applications' }),
});

export type ApplicationsConfig = z.infer<typeof applicationsConfig>;

/** The topic this service owns. */
export const applicationsTopic = (config: Pick<ApplicationsConfig, 'TOPIC_PREFIX'>) =>
  `${config.TOPIC_PREFIX}applications.events`;

/** The topic its projection of calls is fed from. */
export const callsTopic = (config: Pick<ApplicationsConfig, 'TOPIC_PREFIX'>) =>
  `${config.TOPIC_PREFIX}calls.events`;

/** The topic the lifecycle reports each pilot's changes of stage on; the status follows them. */
export const lifecycleTopic = (config: Pick<ApplicationsConfig, 'TOPIC_PREFIX'>) =>
  `${config.TOPIC_PREFIX}lifecycle.events`;

/** Its consumer group, prefixed like the topics so that tests isolate. */
export const consumerGroup = (config: Pick<ApplicationsConfig, 'TOPIC_PREFIX'>) =>
  `${config.TOPIC_PREFIX}applications`;
