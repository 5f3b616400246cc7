import { defineConfig } from 'vitest/config';

// One PostgreSQL server (env URL, testcontainers or embedded) is started once by the global setup;
// every test file creates its own databases on it, so files never see each other's data.
export default defineConfig({
  test: {
    include: [
      'mesh/test/**/*.test.ts',
      'openapi/client/test/**/*.test.ts',
      'tools/test/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'test/**/*.test.ts',
      'web/test/**/*.test.ts',
    ],
    globalSetup: ['test/setup/global-postgres.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: running files one after another keeps database- and process-heavy suites stable.
    fileParallelism: false,
    reporters: ['default', './test/setup/summary-reporter.ts'],
    // Services under test log at 'silent' unless a test asks otherwise; failures speak through assertions.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});
