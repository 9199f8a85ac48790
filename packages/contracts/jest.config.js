/** Pure schemas: unit tests only, no stack needed. */
module.exports = {
  ...require('@s3p/testkit/jest-preset'),
  globalSetup: undefined,
  globalTeardown: undefined,
};
