import { defineConfig } from 'vitest/config';

// Three projects: `unit` (fast, per-module tests, including store tests against the local
// PostgreSQL), `simulation` (seeded swarm gates) and `conformance` (requirement checks run against a
// target; `npm test` points them at the embedded reference server).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    passWithNoTests: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/test/**/*.test.ts', '**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.sim.test.ts', 'conformance/checks/**', 'reports/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'simulation',
          include: ['simulators/**/*.sim.test.ts'],
          exclude: ['**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'conformance',
          include: ['conformance/checks/**/*.check.ts'],
          exclude: ['**/node_modules/**'],
        },
      },
    ],
  },
});
