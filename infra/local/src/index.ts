export type { Component, ComponentName } from './component';
export type { InfraConfig } from './config';
export { loadInfraConfig, logFile } from './config';
export type { ComponentStatus, UpResult } from './stack';
export { ComponentError, componentNames, down, endpointsOf, status, up } from './stack';
