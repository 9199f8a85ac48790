import type { ReadinessCheck, TokenVerification } from '@s3p/service-kit';
import { authenticate, createServiceApp } from '@s3p/service-kit';
import type { Express } from 'express';
import { Router } from 'express';
import { callsApi } from './http/api';
import type { CallRoutesDependencies } from './http/calls-routes';
import { callRoutes } from './http/calls-routes';

export interface CallsAppDependencies extends CallRoutesDependencies {
  auth: TokenVerification;
  readiness: Record<string, ReadinessCheck>;
  version: string;
}

export function createCallsApp(deps: CallsAppDependencies): Express {
  const routes = Router();
  routes.use('/api', authenticate(deps.auth));
  routes.use(callRoutes(deps));
  return createServiceApp({
    name: 'calls',
    logger: deps.logger,
    routes,
    readiness: deps.readiness,
    api: callsApi(deps.version),
  }).app;
}
