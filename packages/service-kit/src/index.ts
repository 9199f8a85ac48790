export type { ReadinessCheck, ServiceApp, ServiceAppOptions } from './app';
export { createServiceApp } from './app';
export type { Principal, Role, TokenVerification } from './auth';
export { authenticate, principalOf, remoteKeys, requireRole, roles, verifyToken } from './auth';
export {
  ConfigError,
  flag,
  loadConfig,
  outboxRelayEnvironment,
  serviceEnvironment,
  temporalEnvironment,
} from './config';
export type { ServiceTokensOptions } from './service-tokens';
export { ServiceTokenError, ServiceTokens } from './service-tokens';
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
export type { Operation } from './openapi';
export { ApiDescription, problemSchema } from './openapi';
export type { ShutdownStep } from './shutdown';
export { closeServer, exitOnSignal, shutDown } from './shutdown';
export { newId } from './ids';
export type { Page } from './pagination';
export { afterCursor, pageOf, pageQuery } from './pagination';
export { ifMatchVersion, preconditionFailed, tagVersion, versionTag } from './concurrency';
export { ScopedCollection } from './tenancy';
export type { IdempotencyRecord } from './idempotency';
export {
  ensureIdempotencyIndexes,
  idempotency,
  idempotencyTtlSeconds,
  purgeExpiredIdempotencyKeys,
} from './idempotency';
