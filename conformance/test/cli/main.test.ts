import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { COMMANDS } from '../../cli/commands.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the installed bin exactly as a user would after `npm ci`. */
function syncproof(...args: string[]) {
  return spawnSync(process.execPath, ['bin/syncproof.mjs', ...args], { cwd: root, encoding: 'utf8' });
}

describe('syncproof CLI', () => {
  test('--help lists every reserved subcommand and the exit codes', () => {
    const result = syncproof('--help');
    expect(result.status).toBe(0);
    for (const name of ['run', 'serve', 'simulate', 'replay', 'trace', 'report', 'verify', 'lint', 'mock']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
    expect(result.stdout).toContain('3 inconclusive');
  });

  test('an unknown subcommand exits 2 with a one-line error', () => {
    const result = syncproof('frobnicate');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  test('no arguments prints usage and exits 2', () => {
    const result = syncproof();
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('usage: syncproof');
  });

  test.each(COMMANDS.map((c) => c.name))('%s --help prints its usage and exits 0', (name) => {
    const result = syncproof(name, '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`usage: syncproof ${name}`);
  });
});
