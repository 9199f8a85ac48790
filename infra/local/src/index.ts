export type { Component, ComponentName } from './component';
export type { InfraConfig } from './config';
export { loadInfraConfig, logFile, stackPortVariables } from './config';
export type { GoModuleSpec, Versions } from './versions';
export { versions } from './versions';
export type { ComponentStatus, UpResult } from './stack';
export { ComponentError, componentNames, components, down, endpointsOf, status, up } from './stack';
export type { Launch } from './supervisor';
export { toxiproxy } from './components/toxiproxy';
export type { PlatformSettings, ServiceName } from './platform';
export {
  defaultServicePorts,
  embeddedSettings,
  newServiceClientSecret,
  serviceClientEnv,
  serviceClientId,
  serviceEntry,
  serviceEnvironments,
  serviceNames,
  stopServices,
  storedServiceClientSecret,
  waitUntilReady,
} from './platform';
export { demoCalls, demoExperts, seedDemoData } from './demo-data';
