// Prints `N passed, N failed` from vitest's JSON results. A failed non-test step (typecheck, lint,
// contracts) counts as one more failure so the line never reads green when CI is red.
import { existsSync, readFileSync } from 'node:fs';

const [file, stepStatus] = process.argv.slice(2);
let passed = 0;
let failed = 0;
if (file && existsSync(file)) {
  const results = JSON.parse(readFileSync(file, 'utf8'));
  passed = results.numPassedTests ?? 0;
  failed = (results.numFailedTests ?? 0) + (results.numRuntimeErrorTestSuites ?? 0);
  // A file that fails to load has no tests but still counts as a failure.
  failed += (results.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
} else {
  failed = 1;
}
if (stepStatus === '1' && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
