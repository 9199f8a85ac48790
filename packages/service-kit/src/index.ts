export type { ReadinessCheck, ServiceApp, ServiceAppOptions } from './app';
export { createServiceApp } from './app';
export type { Principal, Role, TokenVerification } from './auth';
export { authenticate, principalOf, remoteKeys, requireRole, roles, verifyToken } from './auth';
export { ConfigError, loadConfig } from './config';
export type { FieldError } from './problem';
export {
  conflict,
  fieldErrors,
  forbidden,
  HttpProblem,
  notFound,
  sendProblem,
  unprocessable,
} from './problem';
export { parseBody, parseQuery } from './validate';
