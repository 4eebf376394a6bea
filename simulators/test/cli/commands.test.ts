import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { UsageError } from '../../../conformance/cli/usage-error.js';
import { run as simulate } from '../../cli/simulate-command.js';
import { run as replay } from '../../cli/replay-command.js';

const dir = mkdtempSync(join(tmpdir(), 'syncproof-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let output = '';
beforeEach(() => {
  output = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('syncproof simulate', () => {
  test.each([
    [['--clients', 'many']],
    [['--faults', 'drop-request,gremlins']],
    [['--bogus']],
    [['--seed']],
    [['--hours', '0']],
    [['--defect', 'no-such-defect']],
    [['stray']],
    // Checked before a run this size moves to its worker (where a UsageError would lose its type).
    [['--clients', '1000', '--hours', '24', '--shrink-runs', '-1']],
  ])('bad usage %j is a UsageError (exit 2)', async (args) => {
    await expect(simulate(args)).rejects.toBeInstanceOf(UsageError);
  });

  test('a small clean run exits 0 and prints verdicts, throughput and the history hash', async () => {
    const code = await simulate(['--seed', '5', '--clients', '4', '--hours', '1', '--mutations', '200', '--out', dir]);
    expect(code).toBe(0);
    expect(output).toMatch(/mutations\/s/);
    expect(output).toMatch(/no-silent-loss\s+PASS/);
    expect(output).toMatch(/sha256 [0-9a-f]{64}/);
    expect(output).toContain('PASS: every invariant holds; seed 5');
  });

  test('a planted bug exits 1, writes a repro, and replay reproduces it with the same hash', async () => {
    const out = join(dir, 'planted');
    const code = await simulate(['--seed', '1', '--clients', '6', '--hours', '2', '--mutations', '600', '--defect', 'dedup-ignores-tenant', '--out', out, '--shrink-runs', '10']);
    expect(code).toBe(1);
    expect(output).toContain(`reproduce with: syncproof replay ${join(out, 'repro.json')}`);
    expect(output).toContain('seed 1');
    expect(existsSync(join(out, 'repro.json'))).toBe(true);
    const repro = JSON.parse(readFileSync(join(out, 'repro.json'), 'utf8')) as { historyHash: string };
    output = '';
    expect(await replay([join(out, 'repro.json')])).toBe(1);
    expect(output).toContain(`sha256 ${repro.historyHash} — identical to the recorded run`);
  }, 60_000);

  test('--target with a profile that cannot be read is a UsageError (exit 2)', async () => {
    const failure = simulate(['--target', join(dir, 'no-such-profile.yaml')]);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(/cannot read profile/);
  });
});

describe('syncproof replay', () => {
  test('a missing, non-JSON or foreign file is a UsageError', async () => {
    await expect(replay([])).rejects.toBeInstanceOf(UsageError);
    await expect(replay([join(dir, 'nope.json')])).rejects.toBeInstanceOf(UsageError);
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    await expect(replay([join(dir, 'bad.json')])).rejects.toBeInstanceOf(UsageError);
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ format: 'something-else' }));
    await expect(replay([join(dir, 'other.json')])).rejects.toThrow(/not a syncproof repro file/);
  });
});
