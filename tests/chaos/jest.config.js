/**
 * The bounded chaos run: it starts a stack of its own (it stops and restarts parts of it), so
 * the testkit preset's global setup, which provides the shared stack, is not used.
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': [require.resolve('@swc/jest'), { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testTimeout: 300_000,
};
