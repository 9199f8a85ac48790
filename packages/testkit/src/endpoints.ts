/** Where the real stack answers. Tests and services read these variables and nothing else. */
export interface StackEndpoints {
  KAFKA_BROKERS: string;
  MONGODB_URI: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
}

const required = ['KAFKA_BROKERS', 'MONGODB_URI', 'TEMPORAL_ADDRESS'] as const;

/** The endpoints given in the environment, when all of them are. */
export function endpointsFromEnvironment(env: NodeJS.ProcessEnv = process.env): StackEndpoints | undefined {
  if (!required.every((name) => env[name])) return undefined;
  return {
    KAFKA_BROKERS: env.KAFKA_BROKERS!,
    MONGODB_URI: env.MONGODB_URI!,
    TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE ?? 'default',
  };
}

/** For a test: the endpoints its global setup provided, or a clear error if it ran without one. */
export function stackEndpoints(): StackEndpoints {
  const endpoints = endpointsFromEnvironment();
  if (!endpoints) {
    throw new Error(
      `the real stack is not configured: set ${required.join(', ')} or run the tests through jest with the @s3p/testkit preset`,
    );
  }
  return endpoints;
}
