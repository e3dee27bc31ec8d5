/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  // Unit specs sit beside the code (*.spec.ts); integration and e2e specs live under test/.
  testMatch: ['<rootDir>/{apps,libs,activities,workflows,bench}/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: {
    '^@kudak/(contracts|config|temporal|database|calendar)$': '<rootDir>/libs/$1/src',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tools/'],
  // One real dev server for the whole run; time-skipping servers are per test file.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // The SDK's logs at WARN in every test file, as Temporal's samples do.
  setupFiles: ['<rootDir>/test/support/quiet-temporal-runtime.ts'],
  testTimeout: 120_000,
  maxWorkers: 2,
};
