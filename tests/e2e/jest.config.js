/** The services as processes on the real stack; their dist must be built (turbo's test task depends on ^build). */
module.exports = { ...require('@s3p/testkit/jest-preset'), testTimeout: 120_000 };
