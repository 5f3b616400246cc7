import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs only the observability checks, without the root config's global PostgreSQL setup:
//   npx vitest run test/observability --config test/observability/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/observability/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
