import type { Agent, RequestListener } from 'node:http';
import type { HttpSecurityConfig, ReadinessCheck } from '@s3p/service-kit';
import { corsPolicy, createServiceApp, securityHeaders, traceProxied } from '@s3p/service-kit';
import { Router } from 'express';
import type { Logger } from 'pino';
import { openApiDocument } from './domain/merge-documents';
import { portalApi } from './http/api';
import type { LocalIssuer } from './http/auth-routes';
import { authRoutes } from './http/auth-routes';
import { mergedApi } from './http/merged-api';
import { proxy } from './http/proxy';
import { readiness } from './http/readiness';
import { webRoutes } from './http/web-routes';
import type { RouteTable } from './routes';

export interface PortalAppDependencies {
  logger: Logger;
  version: string;
  table: RouteTable;
  /** Undefined in `oidc` mode: an OIDC provider issues the tokens, the portal none. */
  issuer?: LocalIssuer;
  /** The portal's own dependencies; the services' readiness is reported beside them, not gating. */
  readiness: Record<string, ReadinessCheck>;
  /** Keeps connections to the services open between requests. */
  agent: Agent;
  upstreamTimeoutMs: number;
  /** The built web application, served at `/` (503 there while it is not built). */
  webDir: string;
  /** CORS, HSTS and the write limit, for what the portal answers and what it forwards alike. */
  security: HttpSecurityConfig;
}

/** The longest wait for one service's OpenAPI document: the merged one must come back soon. */
const documentTimeoutMs = 5_000;

/**
 * The portal's request handler. Requests for a service's paths are streamed to it before anything
 * reads their body (service-kit's app parses every JSON body, which a proxy must not do); the rest
 * is the portal's own express app: sign-in, demo users, JWKS, the merged API document, health,
 * metrics, and the web application at `/`.
 */
export function createPortalHandler(deps: PortalAppDependencies): RequestListener {
  const { logger, table } = deps;
  const api = portalApi(deps.version, deps.issuer !== undefined);
  const routes = Router();
  if (deps.issuer) routes.use(authRoutes(deps.issuer));
  routes.get(
    '/api/openapi.json',
    mergedApi({
      own: openApiDocument.parse(api.document()),
      version: deps.version,
      table,
      timeoutMs: Math.min(deps.upstreamTimeoutMs, documentTimeoutMs),
      logger,
    }),
  );
  // Last: every GET that no route above and no service owns is the web application's.
  routes.use(webRoutes(deps.webDir));
  const { app } = createServiceApp({ name: 'portal', logger, routes, api, security: deps.security });

  // Answered here rather than by service-kit's /readyz, which can only gate on a check, not report one.
  const ready = readiness(table, deps.readiness);
  const forward = proxy({ agent: deps.agent, timeoutMs: deps.upstreamTimeoutMs, logger });
  // The portal is the browser's only origin: its headers and CORS cover the forwarded answers too.
  const headers = securityHeaders({ hstsMaxAgeSeconds: deps.security.HSTS_MAX_AGE_SECONDS });
  const cors = corsPolicy(deps.security.CORS_ALLOWED_ORIGINS);

  return (req, res) =>
    headers(req, res, () =>
      cors(req, res, () => {
        const url = req.url ?? '/';
        if (url === '/readyz' || url.startsWith('/readyz?')) return void ready(req, res);
        const target = table.match(url);
        if (target) return traceProxied(req, res, target.service, () => forward(req, res, target));
        app(req, res);
      }),
    );
}
