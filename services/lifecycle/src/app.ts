import type { ReadinessCheck, TokenVerification } from '@s3p/service-kit';
import { authenticate, createServiceApp } from '@s3p/service-kit';
import type { Express } from 'express';
import { Router } from 'express';
import { lifecycleApi } from './http/api';
import type { PilotRoutesDependencies } from './http/pilot-routes';
import { pilotRoutes } from './http/pilot-routes';
import type { ReviewerRoutesDependencies } from './http/reviewer-routes';
import { reviewerRoutes } from './http/reviewer-routes';

export interface LifecycleAppDependencies extends PilotRoutesDependencies, ReviewerRoutesDependencies {
  auth: TokenVerification;
  readiness: Record<string, ReadinessCheck>;
  version: string;
}

export function createLifecycleApp(deps: LifecycleAppDependencies): Express {
  const routes = Router();
  routes.use('/api', authenticate(deps.auth));
  routes.use(pilotRoutes(deps));
  routes.use(reviewerRoutes(deps));
  return createServiceApp({
    name: 'lifecycle',
    logger: deps.logger,
    routes,
    readiness: deps.readiness,
    api: lifecycleApi(deps.version),
  }).app;
}
