module.exports = require('@s3p/testkit/jest-preset');
