/**
 * `syncproof init [<file>] [--force]`: writes a commented starter target profile (default
 * syncproof.target.yaml). Refuses to overwrite an existing file unless --force (exit 2).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError } from '../usage-error.js';
import { STARTER_PROFILE } from '../../src/profile/starter-profile.js';

/** Entry point of the `init` command. */
export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { force: { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]}\nusage: syncproof init [<file>] [--force]`);
  }
  if (parsed.positionals.length > 1) throw new UsageError('usage: syncproof init [<file>] [--force]');
  const file = parsed.positionals[0] ?? 'syncproof.target.yaml';
  if (existsSync(file) && parsed.values.force !== true) throw new UsageError(`${file} already exists (use --force to overwrite)`);
  writeFileSync(file, STARTER_PROFILE);
  process.stdout.write(`wrote ${file}: fill in the TODO fields, then run 'syncproof run --target ${file}'\n`);
  return 0;
}
