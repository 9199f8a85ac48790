/** Unit tests need nothing; idempotency and tenancy run against the real MongoDB API (global setup). */
module.exports = require('@s3p/testkit/jest-preset');
