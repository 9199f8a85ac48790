export type { StackEndpoints } from './endpoints';
export { endpointsFromEnvironment, stackEndpoints } from './endpoints';
export type { Isolation } from './isolation';
export { isolation } from './isolation';
export type { TestStack } from './stack';
export { startTestStack, stopTestStack } from './stack';
export type { TestClaims, TestIssuer } from './token-issuer';
export { startTestIssuer } from './token-issuer';
export { freePort } from './free-port';
