import { randomUUID } from 'node:crypto';
import type { Express, Router } from 'express';
import express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { HttpSecurityConfig } from './config';
import { httpSecurityFromEnvironment } from './config';
import { corsPolicy } from './cors';
import { refuseHostileInput, requireUtf8 } from './json-guard';
import type { ApiDescription } from './openapi';
import { limitWrites } from './rate-limit';
import { securityHeaders } from './security-headers';
import { HttpProblem, problemHandler, sendProblem } from './problem';
import { traceRequests } from './http-tracing';

/** A dependency the service cannot work without; `/readyz` answers 503 while one fails. */
export type ReadinessCheck = () => Promise<void>;

export interface ServiceAppOptions {
  name: string;
  logger: Logger;
  /** The service's own routes, mounted after the common middleware. */
  routes: Router;
  readiness?: Record<string, ReadinessCheck>;
  /** Largest JSON body accepted; larger ones get 413. */
  bodyLimit?: string;
  /** Served at `/openapi.json`, where the portal collects it. */
  api?: ApiDescription;
  /** CORS origins, HSTS and the write limit; from the environment (`httpSecurityEnvironment`) when not given. */
  security?: HttpSecurityConfig;
}

export interface ServiceApp {
  app: Express;
  metrics: Registry;
}

/** The express app every service starts from, so that each answers, logs and fails the same way. */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const { logger } = options;
  const security = options.security ?? httpSecurityFromEnvironment();
  const metrics = new Registry();
  metrics.setDefaultLabels({ service: options.name });
  collectDefaultMetrics({ register: metrics });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics],
  });

  const app = express();
  // Where a service adds its own gauges (`metricsOf`).
  app.locals.metrics = metrics;
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Tokens never reach the logs.
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use(traceRequests());
  app.use(securityHeaders({ hstsMaxAgeSeconds: security.HSTS_MAX_AGE_SECONDS }));
  app.use(corsPolicy(security.CORS_ALLOWED_ORIGINS));
  app.use((req, res, next) => {
    const stop = duration.startTimer();
    res.on('finish', () =>
      stop({ method: req.method, route: req.route?.path ?? 'unmatched', status: res.statusCode }),
    );
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(options.readiness ?? {}).map(async ([name, check]) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, error instanceof Error ? error.message : 'failed'] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  if (options.api) {
    const document = options.api.document();
    app.get('/openapi.json', (_req, res) => {
      res.json(document);
    });
  }

  app.use(limitWrites(security.WRITE_RATE_LIMIT_PER_MINUTE));
  app.use(
    express.json({
      limit: options.bodyLimit ?? '100kb',
      strict: true,
      type: 'application/json',
      verify: requireUtf8,
    }),
  );
  app.use(refuseHostileInput());
  app.use(options.routes);
  app.use((req, res) =>
    sendProblem(res, new HttpProblem(404, 'Not Found', `no route for ${req.method} ${req.path}`)),
  );
  app.use(problemHandler(logger));
  return { app, metrics };
}
