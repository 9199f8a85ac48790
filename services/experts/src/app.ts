import type { ReadinessCheck, TokenVerification } from '@s3p/service-kit';
import { authenticate, createServiceApp } from '@s3p/service-kit';
import type { Express } from 'express';
import { Router } from 'express';
import { expertsApi } from './http/api';
import { assignmentRoutes } from './http/assignment-routes';
import type { ExpertRoutesDependencies } from './http/expert-routes';
import { expertRoutes } from './http/expert-routes';
import type { TeamRoutesDependencies } from './http/team-routes';
import { teamRoutes } from './http/team-routes';

export interface ExpertsAppDependencies extends ExpertRoutesDependencies, TeamRoutesDependencies {
  auth: TokenVerification;
  readiness: Record<string, ReadinessCheck>;
  version: string;
}

export function createExpertsApp(deps: ExpertsAppDependencies): Express {
  const routes = Router();
  routes.use('/api', authenticate(deps.auth));
  routes.use(expertRoutes(deps));
  routes.use(teamRoutes(deps));
  routes.use(assignmentRoutes(deps));
  return createServiceApp({
    name: 'experts',
    logger: deps.logger,
    routes,
    readiness: deps.readiness,
    api: expertsApi(deps.version),
  }).app;
}
