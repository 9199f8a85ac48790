import { homedir } from 'node:os';
import path from 'node:path';
import { httpSecurityEnvironment } from '@s3p/service-kit';
import { z } from 'zod';

/** Where infra/local keeps state, so the portal's key sits next to the stack's data. */
const stateDir = (env: string | undefined) => env || path.join(homedir(), '.local', 'state', 's3-pilot');

/** A machine client of the client-credentials grant: another service that calls APIs as itself. */
export interface ServiceClient {
  id: string;
  secret: string;
}

export const minimumClientSecretLength = 16;
const clientId = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * `SERVICE_CLIENTS`: comma-separated `id:secret` pairs (the secret is everything after the first
 * colon). The messages name a client by its id or position, never by its secret.
 */
export const serviceClients = z
  .string()
  .default('')
  .transform((value, ctx): ServiceClient[] => {
    const clients: ServiceClient[] = [];
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
    entries.forEach((entry, index) => {
      const colon = entry.indexOf(':');
      const id = colon < 0 ? '' : entry.slice(0, colon);
      const secret = colon < 0 ? '' : entry.slice(colon + 1);
      const issue = (message: string) => ctx.addIssue({ code: 'custom', message, input: undefined });
      if (!clientId.test(id)) {
        issue(
          `entry ${index + 1} is not id:secret with an id of letters, digits, '.', '_' or '-' (at most 64)`,
        );
      } else if (secret.length < minimumClientSecretLength) {
        issue(`the secret of client ${id} is shorter than ${minimumClientSecretLength} characters`);
      } else if (secret.length > 256) {
        issue(`the secret of client ${id} is longer than 256 characters`);
      } else if (clients.some((client) => client.id === id)) {
        issue(`client ${id} is listed twice`);
      } else {
        clients.push({ id, secret });
      }
    });
    return clients;
  });

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
    /** Clients of the client-credentials grant, `id:secret,...` (`local` mode only; an OIDC provider has its own). */
    SERVICE_CLIENTS: serviceClients,
    S3P_STATE_DIR: z.string().optional(),
    PORTAL_KEY_DIR: z.string().min(1).optional(),
    // One variable per upstream service; src/routes.ts says which paths each one owns.
    CALLS_URL: z.url().default('http://127.0.0.1:8081'),
    APPLICATIONS_URL: z.url().default('http://127.0.0.1:8082'),
    LIFECYCLE_URL: z.url().default('http://127.0.0.1:8083'),
    EXPERTS_URL: z.url().default('http://127.0.0.1:8084'),
    REPORTING_URL: z.url().default('http://127.0.0.1:8085'),
    NOTIFICATIONS_URL: z.url().default('http://127.0.0.1:8086'),
    /** The built web application (`npm run build`: dist/web); missing, `/` answers 503. */
    WEB_DIR: z
      .string()
      .min(1)
      .default(path.join(__dirname, '..', 'dist', 'web')),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    /** CORS origins (none by default: the portal's own page is same-origin), HSTS, the write limit. */
    ...httpSecurityEnvironment,
    /** Sign-in attempts per client address per minute, accepted or not: each costs a password hash. */
    SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    /**
     * Failed sign-ins per username (or client id) per minute from all addresses together, against
     * guessing spread over many addresses; per single address the tighter LoginLimiter applies.
     */
    FAILED_SIGN_INS_PER_ACCOUNT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(100),
    NODE_ENV: z.string().default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .transform(({ S3P_STATE_DIR, PORTAL_KEY_DIR, ...config }) => ({
    ...config,
    PORTAL_KEY_DIR: PORTAL_KEY_DIR ?? path.join(stateDir(S3P_STATE_DIR), 'portal'),
  }));

export type PortalConfig = z.infer<typeof portalConfig>;
