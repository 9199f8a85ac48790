/** The bounded run: the whole platform as processes on the real stack, schemathesis against it per role. */
module.exports = { ...require('@s3p/testkit/jest-preset'), testTimeout: 15 * 60_000 };
