import { outboxRelayEnvironment, serviceEnvironment, temporalEnvironment } from '@s3p/service-kit';
import { z } from 'zod';

/** The calls service's environment, every variable with its embedded default. */
export const callsConfig = z.object({
  ...serviceEnvironment({ port: 8081, database: 's3p_calls' }),
  ...temporalEnvironment('calls'),
  ...outboxRelayEnvironment,
});

export type CallsConfig = z.infer<typeof callsConfig>;

/** The topic the calls service owns. */
export const callsTopic = (config: Pick<CallsConfig, 'TOPIC_PREFIX'>) => `${config.TOPIC_PREFIX}calls.events`;
