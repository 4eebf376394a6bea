// Mutation testing of the reference domain core (issue 7): `npm run mutation`. Not part of CI — on a
// 2-core machine a full run takes long; narrow it with `npm run mutation -- --mutate <glob>`.
// StrykerJS 9.x (10.x needs Node 22) with the vitest runner, restricted to the domain's own unit
// tests (reference-impl/test/domain, stryker.vitest.config.ts). Mutants run in Stryker's sandbox
// copy (outside the checkout), never in place: other work goes on in this checkout.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'stryker.vitest.config.ts', related: false },
  mutate: ['reference-impl/src/domain/**/*.ts'],
  // Compiled stray *.js beside the sources would shadow the mutated *.ts in the sandbox.
  ignorePatterns: ['**/*.js', '!eslint.config.js', 'reports', 'coverage', '.stryker-tmp'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20_000,
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 85, low: 70, break: null },
  tempDirName: '/tmp/syncproof-stryker',
  cleanTempDir: true,
};
