module.exports = { preset: '@s3p/testkit' };
