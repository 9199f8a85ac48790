import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ReadinessCheck, ShutdownStep } from '@s3p/service-kit';
import { shutDown, traceLogFields } from '@s3p/service-kit';
import type { Logger } from 'pino';
import pino from 'pino';
import { createPortalHandler } from './app';
import type { PortalConfig } from './config';
import { demoPassword, demoRegions, demoStaff } from './demo-users';
import { LoginLimiter } from './domain/login-limiter';
import type { LocalIssuer } from './http/auth-routes';
import { routeTable } from './routes';
import { ServiceClients } from './service-clients';
import { canSign, loadOrCreateSigningKey } from './signing-key';
import { demoUsers, UserDirectory } from './users';

export interface PortalService {
  /** Where it listens, with the real port when PORT was 0. */
  url: string;
  port: number;
  /** Graceful shutdown: the server (requests in flight finish), then the connections to the services. */
  stop(): Promise<void>;
}

/** Failed sign-ins allowed per username (or client id) and address in a minute. */
const failedSignInsPerMinute = 10;

const packageVersion = (): string =>
  (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
    .version;

/**
 * In `local` mode loads (or creates) the signing key and the demo users; in `oidc` mode issues
 * nothing. Then listens: the routes to the services, the merged API document, health.
 */
export async function startPortalService(
  config: PortalConfig,
  logger: Logger = pino({ name: 'portal', level: config.LOG_LEVEL, mixin: traceLogFields }),
): Promise<PortalService> {
  const steps: ShutdownStep[] = [];
  let server: Server | undefined;
  try {
    const readiness: Record<string, ReadinessCheck> = {};
    let issuer: LocalIssuer | undefined;
    if (config.AUTH_MODE === 'local') {
      issuer = await localIssuer(config, logger);
      const { limiter, clientLimiter } = issuer;
      const sweep = setInterval(() => {
        limiter.sweep();
        clientLimiter.sweep();
      }, 60_000).unref();
      steps.push(['sign-in limiter', async () => clearInterval(sweep)]);
      readiness.signingKey = canSign(issuer.key);
    } else if (config.SERVICE_CLIENTS.length > 0) {
      logger.warn(
        'SERVICE_CLIENTS is ignored with AUTH_MODE=oidc: register the clients with the OIDC provider',
      );
    }
    // Idle connections close before a Node service's own 5 s keep-alive timeout would close them
    // under a request just sent on one.
    const agent = new Agent({ keepAlive: true, timeout: 4_000 });
    steps.push(['connections to the services', async () => agent.destroy()]);

    const handler = createPortalHandler({
      logger,
      version: packageVersion(),
      table: routeTable(config),
      issuer,
      readiness,
      agent,
      upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
      webDir: config.WEB_DIR,
      security: {
        CORS_ALLOWED_ORIGINS: config.CORS_ALLOWED_ORIGINS,
        HSTS_MAX_AGE_SECONDS: config.HSTS_MAX_AGE_SECONDS,
        WRITE_RATE_LIMIT_PER_MINUTE: config.WRITE_RATE_LIMIT_PER_MINUTE,
      },
    });
    server = await new Promise<Server>((resolve, reject) => {
      const listening = createServer(handler);
      listening.once('error', reject).listen(config.PORT, config.HOST, () => resolve(listening));
    });
    const { port } = server.address() as AddressInfo;
    logger.info(
      { port, authMode: config.AUTH_MODE, serviceClients: issuer?.clients.ids() ?? [] },
      'portal listening',
    );
    const listening = server;
    return {
      url: `http://${config.HOST}:${port}`,
      port,
      stop: async () => {
        await shutDown(logger, listening, steps);
      },
    };
  } catch (error) {
    await shutDown(logger, server, steps);
    throw error;
  }
}

async function localIssuer(config: PortalConfig, logger: Logger): Promise<LocalIssuer> {
  if (config.NODE_ENV === 'production') {
    throw new Error(
      `the embedded token issuer and its demo users (password "${demoPassword}") are refused when ` +
        'NODE_ENV=production: set AUTH_MODE=oidc and point the services at your OIDC provider (AUTH_JWKS_URL, AUTH_ISSUER)',
    );
  }
  const users = await UserDirectory.of(demoUsers(demoStaff, demoRegions), demoPassword);
  // A token's `sub` names one user or one client, never either of two.
  const usernames = new Set(users.list().map((user) => user.username));
  const clashing = config.SERVICE_CLIENTS.filter((client) => usernames.has(client.id)).map((c) => c.id);
  if (clashing.length > 0) {
    throw new Error(`SERVICE_CLIENTS: client ids that are also usernames: ${clashing.join(', ')}`);
  }
  return {
    key: await loadOrCreateSigningKey(config.PORTAL_KEY_DIR, logger),
    users,
    limiter: new LoginLimiter(failedSignInsPerMinute, 60_000),
    clients: new ServiceClients(config.SERVICE_CLIENTS),
    clientLimiter: new LoginLimiter(failedSignInsPerMinute, 60_000),
    signInLimits: {
      perAddressPerMinute: config.SIGN_IN_RATE_LIMIT_PER_MINUTE,
      failuresPerAccountPerMinute: config.FAILED_SIGN_INS_PER_ACCOUNT_PER_MINUTE,
    },
    tokens: {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      ttlSeconds: config.TOKEN_TTL_SECONDS,
    },
  };
}
