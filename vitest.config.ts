import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 ships CommonJS (main) and ESM (module) builds; Pothos and Apollo load the CommonJS
// one, so the tests must too, or graphql sees two copies of itself ("another module or realm").
const require = createRequire(new URL('./schema/package.json', import.meta.url));

export default defineConfig({
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '.data/**'],
    globalSetup: ['test/global-setup.ts'],
    // Each test file opens its own database copy; two cores, two workers.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
