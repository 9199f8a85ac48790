import type { ReadinessCheck, TokenVerification } from '@s3p/service-kit';
import { authenticate, createServiceApp } from '@s3p/service-kit';
import type { Express } from 'express';
import { Router } from 'express';
import { applicationsApi } from './http/api';
import type { ApplicationRoutesDependencies } from './http/applications-routes';
import { applicationRoutes } from './http/applications-routes';

export interface ApplicationsAppDependencies extends ApplicationRoutesDependencies {
  auth: TokenVerification;
  readiness: Record<string, ReadinessCheck>;
  version: string;
}

export function createApplicationsApp(deps: ApplicationsAppDependencies): Express {
  const routes = Router();
  routes.use('/api', authenticate(deps.auth));
  routes.use(applicationRoutes(deps));
  return createServiceApp({
    name: 'applications',
    logger: deps.logger,
    routes,
    readiness: deps.readiness,
    api: applicationsApi(deps.version),
  }).app;
}
