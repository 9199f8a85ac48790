import type { ReadinessCheck, TokenVerification } from '@s3p/service-kit';
import { authenticate, createServiceApp } from '@s3p/service-kit';
import type { Express } from 'express';
import { Router } from 'express';
import type { Logger } from 'pino';
import { notificationsApi } from './http/api';
import type { NotificationRoutesDependencies } from './http/notification-routes';
import { notificationRoutes } from './http/notification-routes';

export interface NotificationsAppDependencies extends NotificationRoutesDependencies {
  auth: TokenVerification;
  readiness: Record<string, ReadinessCheck>;
  version: string;
  logger: Logger;
}

export function createNotificationsApp(deps: NotificationsAppDependencies): Express {
  const routes = Router();
  routes.use('/api', authenticate(deps.auth));
  routes.use(notificationRoutes(deps));
  return createServiceApp({
    name: 'notifications',
    logger: deps.logger,
    routes,
    readiness: deps.readiness,
    api: notificationsApi(deps.version),
  }).app;
}
