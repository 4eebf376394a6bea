// Flat config. Besides the typescript-eslint recommendations, one project rule: simulated code and
// the reference domain core take time and randomness from an injected Clock and Random, never from
// the platform, so a seed and a commit reproduce any run exactly.
import tseslint from 'typescript-eslint';

const forbiddenClockAndRandom = [
  { object: 'Date', property: 'now', message: 'take time from the injected Clock (SimEnv / domain Clock port)' },
  { object: 'Math', property: 'random', message: 'take randomness from the seeded Random of the SimEnv' },
  { object: 'performance', property: 'now', message: 'take time from the injected Clock' },
  { object: 'crypto', property: 'randomUUID', message: 'derive ids from the seeded Random or from inputs' },
  { object: 'globalThis', property: 'setTimeout', message: 'schedule through the SimEnv Scheduler' },
  { object: 'globalThis', property: 'setInterval', message: 'schedule through the SimEnv Scheduler' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', 'contracts/generated/**', '**/*.d.ts', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['simulators/**/*.ts', 'reference-impl/src/domain/**/*.ts'],
    // real-target/ runs in real time (next block); system-real-world.ts is where that time enters.
    ignores: ['simulators/**/test/**', 'simulators/**/*.test.ts', 'simulators/real-target/**', 'simulators/cli/system-real-world.ts'],
    rules: {
      'no-restricted-properties': ['error', ...forbiddenClockAndRandom],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'schedule through the SimEnv Scheduler' },
        { name: 'setInterval', message: 'schedule through the SimEnv Scheduler' },
      ],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'node:crypto', importNames: ['randomUUID', 'randomBytes'], message: 'use the seeded Random' }] },
      ],
    },
  },
  {
    // Real-target mode uses real timers, but reads time and entropy only through the RealWorld its
    // caller injects (simulators/real-target/real-world.ts), so the devices' choices stay seeded.
    files: ['simulators/real-target/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...forbiddenClockAndRandom.filter((r) => r.object !== 'globalThis').map((r) => ({ ...r, message: `${r.message} (real-target: the injected RealWorld)` })),
      ],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'node:crypto', importNames: ['randomUUID', 'randomBytes'], message: 'use the seeded Random or RealWorld.freshSalt' }] },
      ],
    },
  },
);
