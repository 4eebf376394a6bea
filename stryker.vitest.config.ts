// The vitest configuration StrykerJS runs each mutant against (stryker.config.mjs): only the domain
// core's own unit tests. The repository config's projects would pull in process, database and
// pact tests, which neither exercise the domain in isolation nor belong in a mutation run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['reference-impl/test/domain/**/*.test.ts'],
    testTimeout: 30_000,
    passWithNoTests: false,
  },
});
