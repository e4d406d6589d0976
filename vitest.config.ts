import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // E2E tests run tsc, drizzle-kit and databases: slow, but bounded.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
