/**
 * `npm run contracts:check`: the contract gate. Runs every step, prints one line per step and a
 * summary, and exits 1 naming the failed steps.
 */
import { runContractChecks } from '../src/contract-checks.js';

const report = await runContractChecks();
for (const step of report.steps) {
  process.stdout.write(`${step.ok ? 'ok  ' : 'FAIL'} ${step.name}: ${step.summary}\n`);
  for (const line of step.details.slice(0, 20)) process.stdout.write(`       ${line}\n`);
  if (step.details.length > 20) process.stdout.write(`       ... ${step.details.length - 20} more\n`);
}
const failed = report.steps.filter((s) => !s.ok).map((s) => s.name);
process.stdout.write(
  failed.length === 0
    ? `contracts:check: ${report.steps.length} passed, 0 failed\n`
    : `contracts:check: ${report.steps.length - failed.length} passed, ${failed.length} failed (${failed.join(', ')})\n`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
