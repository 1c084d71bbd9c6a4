/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  transform: { '^.+\\.ts$': swc },
};

module.exports = {
  // Two cores on CI: two workers keep PostgreSQL and node from fighting over them.
  maxWorkers: process.env.CI ? 2 : '50%',
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
  projects: [
    // *.spec.ts: no database.
    { ...shared, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    // *.int-spec.ts and *.e2e-spec.ts: a real PostgreSQL, found or started once per run.
    {
      ...shared,
      displayName: 'db',
      testMatch: ['**/*.int-spec.ts', '**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
  ],
};
