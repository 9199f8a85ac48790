import type { ReadinessCheck, TokenVerification } from '@s3p/service-kit';
import { authenticate, createServiceApp } from '@s3p/service-kit';
import type { Express } from 'express';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { AuditRoutesDependencies } from './audit/audit-routes';
import { auditRoutes } from './audit/audit-routes';
import { reportingApi } from './http/api';
import type { FileRoutesDependencies } from './http/file-routes';
import { fileRoutes } from './http/file-routes';
import type { FinalReportRoutesDependencies } from './http/final-report-routes';
import { finalReportRoutes } from './http/final-report-routes';
import type { MilestoneRoutesDependencies } from './http/milestone-routes';
import { milestoneRoutes } from './http/milestone-routes';
import type { ProjectionRoutesDependencies } from './projections/projection-routes';
import { openDataRoutes, projectionRoutes } from './projections/projection-routes';

export interface ReportingAppDependencies
  extends
    MilestoneRoutesDependencies,
    FileRoutesDependencies,
    FinalReportRoutesDependencies,
    AuditRoutesDependencies,
    ProjectionRoutesDependencies {
  auth: TokenVerification;
  readiness: Record<string, ReadinessCheck>;
  version: string;
  logger: Logger;
}

export function createReportingApp(deps: ReportingAppDependencies): Express {
  const routes = Router();
  // Open data is public: published calls and aggregate outcomes, nothing about a region or a person.
  routes.use(openDataRoutes(deps));
  routes.use('/api', authenticate(deps.auth));
  routes.use(milestoneRoutes(deps));
  routes.use(fileRoutes(deps));
  routes.use(finalReportRoutes(deps));
  routes.use(auditRoutes(deps));
  routes.use(projectionRoutes(deps));
  return createServiceApp({
    name: 'reporting',
    logger: deps.logger,
    routes,
    readiness: deps.readiness,
    api: reportingApi(deps.version),
  }).app;
}
