/** The portal needs no Kafka, MongoDB or Temporal: its tests start their own small upstreams. */
const preset = require('@s3p/testkit/jest-preset');

module.exports = {
  ...preset,
  // The web application's pure parts (routes, catalogues) are tested beside it.
  testMatch: [...preset.testMatch, '<rootDir>/web/test/**/*.spec.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
};
