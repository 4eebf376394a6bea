/**
 * `syncproof lint <openapi-file>`: lints a module's OpenAPI contract against the
 * offline-capable-module rules (contracts/lint/offline-module.ruleset.ts). Prints one line per
 * finding and a summary; exit 1 on any error-severity finding, 0 otherwise, 2 (UsageError) when the
 * file is missing, unreadable or not an OpenAPI document.
 */
import { UsageError } from '../../conformance/cli/usage-error.js';
import { formatFinding, LintInputError, lintOpenApi } from './lint-openapi.js';

/** Runs the command; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const files = args.filter((a) => !a.startsWith('-'));
  const unknown = args.filter((a) => a.startsWith('-'));
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown[0]} (usage: syncproof lint <openapi-file>)`);
  if (files.length !== 1) throw new UsageError('expects exactly one OpenAPI file (usage: syncproof lint <openapi-file>)');
  const file = files[0]!;
  let findings;
  try {
    findings = await lintOpenApi(file);
  } catch (err) {
    if (err instanceof LintInputError) throw new UsageError(err.message);
    throw err;
  }
  for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warn').length;
  process.stdout.write(`${file}: ${errors} error(s), ${warnings} warning(s), ${findings.length - errors - warnings} other\n`);
  return errors > 0 ? 1 : 0;
}
