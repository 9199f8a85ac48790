import type { ComponentName } from '@s3p/infra-local';

/** Where the real stack answers. Tests and services read these variables and nothing else. */
export interface StackEndpoints {
  KAFKA_BROKERS: string;
  MONGODB_URI: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  /** Where mail is sent: `smtp://host:port` (Mailpit). */
  SMTP_URL: string;
  /** Mailpit's HTTP API and web UI, where the mail sent to SMTP_URL is read back. */
  MAILPIT_URL: string;
}

/**
 * The variables each part of the stack provides. A part is used as given when all of its
 * variables are set, and started when none is; SMTP_URL and MAILPIT_URL name one Mailpit, so one
 * without the other is an error rather than a guess.
 */
export const stackParts = {
  kafka: ['KAFKA_BROKERS'],
  ferretdb: ['MONGODB_URI'],
  temporal: ['TEMPORAL_ADDRESS'],
  mailpit: ['SMTP_URL', 'MAILPIT_URL'],
} as const satisfies Record<ComponentName, readonly (keyof StackEndpoints)[]>;

export type StackPart = keyof typeof stackParts;

const required = Object.values(stackParts).flat();

/** The parts of the stack whose endpoints the environment does not give. */
export function missingParts(env: NodeJS.ProcessEnv = process.env): StackPart[] {
  const missing: StackPart[] = [];
  for (const [part, names] of Object.entries(stackParts) as [StackPart, readonly string[]][]) {
    const given = names.filter((name) => env[name]);
    if (given.length === names.length) continue;
    if (given.length > 0) {
      throw new Error(
        `${given.join(', ')} given without ${names.filter((n) => !env[n]).join(', ')}: ${names.join(' and ')} name one ${part}; give ${names.length === 2 ? 'both or neither' : 'all or none'}`,
      );
    }
    missing.push(part);
  }
  return missing;
}

/** The endpoints given in the environment, when all of them are. */
export function endpointsFromEnvironment(env: NodeJS.ProcessEnv = process.env): StackEndpoints | undefined {
  if (!required.every((name) => env[name])) return undefined;
  return {
    KAFKA_BROKERS: env.KAFKA_BROKERS!,
    MONGODB_URI: env.MONGODB_URI!,
    TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE ?? 'default',
    SMTP_URL: env.SMTP_URL!,
    MAILPIT_URL: env.MAILPIT_URL!,
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
