export type { ReadinessCheck, ServiceApp, ServiceAppOptions } from './app';
export { createServiceApp } from './app';
export type { Principal, Role, TokenVerification } from './auth';
export { authenticate, principalOf, remoteKeys, requireRole, roles, verifyToken } from './auth';
export type { HttpSecurityConfig } from './config';
export {
  ConfigError,
  flag,
  httpSecurityEnvironment,
  httpSecurityFromEnvironment,
  loadConfig,
  outboxRelayEnvironment,
  serviceEnvironment,
  temporalEnvironment,
} from './config';
export type { NodeMiddleware } from './cors';
export { corsPolicy } from './cors';
export type { JsonLimits } from './json-guard';
export { defaultJsonLimits, jsonFaults, refuseHostileInput, requireUtf8 } from './json-guard';
export type { RateLimit } from './rate-limit';
export { addressKey, limitWrites, rateLimited } from './rate-limit';
export type { SecurityHeaderOptions } from './security-headers';
export { securityHeaders } from './security-headers';
export type { ServiceTracing, TracingOptions } from './tracing';
export { startTracing, tracesShutdown, tracingEnvironment } from './tracing';
export { traceProxied, traceRequests } from './http-tracing';
export { correlationIdKey, outgoingTraceHeaders, traceLogFields, withCorrelationId } from './trace-context';
export type { PlatformSamplers, SampledGaugeOptions, Sample, Sampler } from './metrics';
export { cachedWorkflowsOf, countsBy, metricsOf, registerPlatformMetrics, sampledGauge } from './metrics';
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
  writeProblem,
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
export type { MonitorWatch, MonitorWatchLogger, MonitorWatchOptions } from './database-monitor';
export { reconnectWhenMonitorStalls } from './database-monitor';
export type { DatabaseSettings } from './database';
export { connectDatabase } from './database';
export { isDuplicateKey } from './duplicate-key';
