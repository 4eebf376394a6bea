/**
 * Prints whether `syncproof run` (embedded reference) and `syncproof serve` + `syncproof run
 * --target conformance/profiles/reference.yaml` give the same verdicts, with both exit codes and
 * wall times. Exit 0 when every verdict matches, 1 when one differs.
 *
 *   npx tsx conformance/scripts/serve-target-parity.ts [--seed <n>] [--out <dir>] [--nats <url>] [--only <glob>] [--no-prism]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveTargetParity } from '../src/run/serve-target-parity.js';

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const args = process.argv.slice(2);
const seed = Number(option(args, '--seed') ?? 42);
if (!Number.isInteger(seed)) {
  process.stderr.write('serve-target-parity: --seed must be an integer\n');
  process.exit(2);
}
const outDir = option(args, '--out') ?? mkdtempSync(join(tmpdir(), 'syncproof-parity-'));
const natsUrl = option(args, '--nats');
const only = option(args, '--only');
const result = await serveTargetParity({
  seed,
  outDir,
  ...(natsUrl ? { natsUrl } : {}),
  ...(only ? { only } : {}),
  noPrism: args.includes('--no-prism'),
  log: (l) => process.stdout.write(`${l}\n`),
});

const count = (verdicts: ReadonlyMap<string, string>) => {
  const by = new Map<string, number>();
  for (const v of verdicts.values()) by.set(v, (by.get(v) ?? 0) + 1);
  return [...by].sort().map(([v, n]) => `${v} ${n}`).join(', ');
};
process.stdout.write(`\nembedded  exit ${result.embedded.exitCode}  ${(result.embedded.wallMs / 1000).toFixed(1)} s  ${result.embedded.verdicts.size} checks: ${count(result.embedded.verdicts)}\n`);
process.stdout.write(`target    exit ${result.target.exitCode}  ${(result.target.wallMs / 1000).toFixed(1)} s  ${result.target.verdicts.size} checks: ${count(result.target.verdicts)}\n`);
process.stdout.write(`serve     exit ${result.serveExitCode} after SIGTERM\n`);
if (result.differences.length === 0 && result.embedded.verdicts.size > 0 && result.embedded.exitCode === result.target.exitCode) {
  process.stdout.write(`parity: same verdict for all ${result.embedded.verdicts.size} checks (results in ${outDir})\n`);
} else {
  process.stdout.write(`parity: DIFFERENT (results in ${outDir})\n`);
  for (const d of result.differences) process.stdout.write(`  ${d.id}: embedded ${d.embedded ?? '(missing)'} · target ${d.target ?? '(missing)'}\n`);
  if (result.embedded.exitCode !== result.target.exitCode) process.stdout.write(`  exit codes: embedded ${result.embedded.exitCode} · target ${result.target.exitCode}\n`);
  process.exitCode = 1;
}
