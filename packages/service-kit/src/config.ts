import type { z } from 'zod';

export class ConfigError extends Error {}

/** Reads a service's configuration from the environment; every problem is named at once, at start-up. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}
