/**
 * The jest preset every workspace uses: TypeScript through SWC (type checking is `npm run
 * typecheck`'s job), the real stack from the global setup, and test files named *.spec.ts.
 */
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': [require.resolve('@swc/jest'), { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
  globalSetup: path.join(__dirname, 'dist', 'global-setup.js'),
  globalTeardown: path.join(__dirname, 'dist', 'global-teardown.js'),
  testTimeout: 60_000,
};
