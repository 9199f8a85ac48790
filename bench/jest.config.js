/** The harness's own logic needs no stack; `npm run bench -- --smoke` exercises the scenarios on it. */
module.exports = {
  ...require('@s3p/testkit/jest-preset'),
  globalSetup: undefined,
  globalTeardown: undefined,
};
