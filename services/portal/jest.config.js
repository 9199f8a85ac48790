/** The portal needs no Kafka, MongoDB or Temporal: its tests start their own small upstreams. */
module.exports = {
  ...require('@s3p/testkit/jest-preset'),
  globalSetup: undefined,
  globalTeardown: undefined,
};
