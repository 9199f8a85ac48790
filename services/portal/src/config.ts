import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Where infra/local keeps state, so the portal's key sits next to the stack's data. */
const stateDir = (env: string | undefined) => env || path.join(homedir(), '.local', 'state', 's3-pilot');

/** The portal's environment, every variable with its embedded default. */
export const portalConfig = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** `local`: the portal issues tokens for the demo users; `oidc`: an OIDC provider does, and the portal issues none. */
    AUTH_MODE: z.enum(['local', 'oidc']).default('local'),
    AUTH_ISSUER: z.string().min(1).default('http://localhost:8080'),
    AUTH_AUDIENCE: z.string().min(1).default('s3p-api'),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    S3P_STATE_DIR: z.string().optional(),
    PORTAL_KEY_DIR: z.string().min(1).optional(),
    // One variable per upstream service; src/routes.ts says which paths each one owns.
    CALLS_URL: z.url().default('http://127.0.0.1:8081'),
    APPLICATIONS_URL: z.url().default('http://127.0.0.1:8082'),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    NODE_ENV: z.string().default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .transform(({ S3P_STATE_DIR, PORTAL_KEY_DIR, ...config }) => ({
    ...config,
    PORTAL_KEY_DIR: PORTAL_KEY_DIR ?? path.join(stateDir(S3P_STATE_DIR), 'portal'),
  }));

export type PortalConfig = z.infer<typeof portalConfig>;
