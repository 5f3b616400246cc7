import { defineConfig } from 'vitest/config';

// The cluster checks need no database: run them alone with
//   npx vitest run test/cluster --config test/cluster/vitest.config.ts
// (the root config runs them too, as part of `npm test`).
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
