/**
 * `syncproof verify <dir> [--public-key <pem>] [--source <repo-root>]`: checks a report bundle
 * offline. Exit 0 when the signature verifies and every file matches the manifest; exit 1 naming
 * each changed, missing or added file or the bad signature; 2 on bad usage.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../conformance/cli/usage-error.js';
import { verifyBundle } from '../src/evidence/verify-bundle.js';

const USAGE = 'usage: syncproof verify <dir> [--public-key <pem>] [--source <repo-root>]';

/** Output sink, injectable for tests. */
export interface VerifyIo {
  readonly out: (line: string) => void;
}

const defaultIo: VerifyIo = { out: (line) => process.stdout.write(`${line}\n`) };

/** Runs `verify <args>`; resolves to the exit code. */
export async function run(args: string[], io: VerifyIo = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { 'public-key': { type: 'string' }, source: { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`expected one bundle directory\n${USAGE}`);
  const dir = resolve(positionals[0] as string);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${positionals[0]} is not a directory`);
  let publicKeyPem: Buffer | undefined;
  if (values['public-key']) {
    try {
      publicKeyPem = readFileSync(values['public-key']);
    } catch (err) {
      throw new UsageError(`cannot read public key ${values['public-key']}: ${(err as Error).message}`);
    }
  }
  if (values.source && !existsSync(values.source)) throw new UsageError(`source root ${values.source} does not exist`);

  const result = verifyBundle(dir, {
    ...(publicKeyPem ? { publicKeyPem } : {}),
    ...(values.source ? { sourceRoot: resolve(values.source) } : {}),
  });
  for (const p of result.problems) io.out(p);
  if (!result.ok) {
    io.out(`verify: FAILED, ${result.problems.length} problem(s) in ${positionals[0]}`);
    return 1;
  }
  const m = result.manifest;
  io.out(
    `verify: ok, ${result.checkedFiles} files match the manifest signed by ${result.fingerprint}` +
      (values.source ? ', and specs/ and contracts/ match the source tree' : ''),
  );
  if (m) io.out(`verify: run of ${m.tool.name} ${m.tool.version} (commit ${m.gitCommit ?? 'unknown'}, seed ${m.seed ?? 'none'}) against ${m.target.name}, ${m.run.startedAt} → ${m.run.finishedAt}`);
  if (result.keySource === 'bundle') {
    io.out('verify: checked with the public key stored in the bundle; compare the fingerprint above with one you trust, or pass --public-key');
  }
  return 0;
}
