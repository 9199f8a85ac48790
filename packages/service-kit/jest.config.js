/** HTTP behaviour on a real listening server; no stack needed. */
module.exports = {
  ...require('@s3p/testkit/jest-preset'),
  globalSetup: undefined,
  globalTeardown: undefined,
};
