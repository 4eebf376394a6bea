/**
 * Facts every producer of results and reports records about itself: the suite's version and the
 * git commit of its source tree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Root of this repository (where package.json is). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Name and version of the suite, from package.json. */
export function toolIdentity(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
}

/** HEAD commit of the git checkout at `cwd`, or null when there is none (no git, no commit yet). */
export function gitCommit(cwd: string = REPO_ROOT): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    const sha = out.toString('utf8').trim();
    return /^[0-9a-f]{7,64}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}
