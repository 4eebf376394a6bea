import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../../cli/trace-command.js';
import { UsageError } from '../../../conformance/cli/usage-error.js';

const fixtures = new URL('../fixtures/', import.meta.url);
const matrixText = readFileSync(new URL('matrix/basic-matrix.md', fixtures), 'utf8');
const inSync = JSON.parse(readFileSync(new URL('declarations/in-sync.json', fixtures), 'utf8')) as {
  declarations: { testId: string; verifies: string[]; file: string; line?: number }[];
  problems?: { file: string; message: string }[];
};

type Decls = typeof inSync;

/** Writes a matrix and declarations into a fresh directory and runs `trace check` on them. */
async function check(opts: { matrix?: string; decls?: Decls; fix?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'trace-check-'));
  const matrixPath = join(dir, 'TRACEABILITY_MATRIX.md');
  const declPath = join(dir, 'declarations.json');
  writeFileSync(matrixPath, opts.matrix ?? matrixText);
  writeFileSync(declPath, JSON.stringify(opts.decls ?? inSync));
  const lines: string[] = [];
  const code = await run(['check', '--matrix', matrixPath, '--declarations', declPath, ...(opts.fix ? ['--fix'] : [])], {
    out: (l) => lines.push(l),
  });
  return { code, lines, matrixAfter: readFileSync(matrixPath, 'utf8') };
}

function withDecls(change: (d: Decls['declarations']) => Decls['declarations'], problems?: Decls['problems']): Decls {
  return { declarations: change(structuredClone(inSync.declarations)), ...(problems ? { problems } : {}) };
}

describe('syncproof trace check', () => {
  test('a matrix in step with the declarations passes', async () => {
    const { code, lines } = await check();
    expect(lines.at(-1)).toMatch(/^trace check: ok; 9 requirements, 7 declaring tests covering 7 IDs$/);
    expect(code).toBe(0);
  });

  test('a MUST with neither a test nor a not-tested reason fails, naming the row', async () => {
    const matrix = matrixText.replace('| aud.one-event-per-resolution |', '|  |');
    const decls = withDecls((d) => d.filter((x) => x.testId !== 'aud.one-event-per-resolution'));
    const { code, lines } = await check({ matrix, decls });
    expect(code).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/TRACEABILITY_MATRIX\.md:15: MUST OFS-AUD-001 has neither a test nor a "Not tested" reason$/));
    expect(lines.filter((l) => !l.startsWith('trace check:'))).toHaveLength(1);
  });

  test('a SHOULD without tests, and a MUST with a not-tested reason, are fine', async () => {
    const { lines } = await check();
    expect(lines.join('\n')).not.toMatch(/OFS-IDEM-001|OFS-STORE-005/);
  });

  test('a test citing an unknown ID fails, naming the test and the ID', async () => {
    const decls = withDecls((d) => [...d.map((x) => (x.testId === 'sync.outcomes-in-order' ? { ...x, verifies: [...x.verifies, 'OFS-CONF-099'] } : x))]);
    const { code, lines } = await check({ decls });
    expect(code).toBe(1);
    expect(lines[0]).toBe("conformance/checks/sync/order.check.ts:5: test 'sync.outcomes-in-order' cites unknown requirement ID 'OFS-CONF-099'");
  });

  test('a new declaration missing from the Tests column fails and says to run --fix', async () => {
    const decls = withDecls((d) => [...d, { testId: 'idem.key-reuse-rest-422', verifies: ['OFS-IDEM-007'], file: 'x.check.ts' }]);
    const { code, lines } = await check({ decls });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(
      /TRACEABILITY_MATRIX\.md:9: OFS-IDEM-007 Tests column says \[idem\.key-reuse-rejected\] but the tests declare \[idem\.key-reuse-rejected, idem\.key-reuse-rest-422\] \(run 'syncproof trace check --fix'\)$/,
    );
  });

  test('a Tests column naming a test that no longer declares the ID fails', async () => {
    const decls = withDecls((d) => d.map((x) => (x.testId === 'idem.duplicate-replays' ? { ...x, verifies: ['OFS-IDEM-002'] } : x)));
    const { code, lines } = await check({ decls });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/OFS-IDEM-005 Tests column says \[idem\.duplicate-replays\] but the tests declare \[\]/);
    expect(lines[1]).toMatch(/MUST OFS-IDEM-005 has neither a test nor a "Not tested" reason/);
  });

  test('one test id declared twice fails, naming both places', async () => {
    const decls = withDecls((d) => [...d, { testId: 'ten.pull-isolated', verifies: ['OFS-TEN-003'], file: 'other.check.ts', line: 2 }]);
    const { code, lines } = await check({ decls });
    expect(code).toBe(1);
    expect(lines[0]).toBe("other.check.ts:2: test id 'ten.pull-isolated' is already declared at conformance/checks/tenancy/pull.check.ts:4");
  });

  test('a test file that cannot be collected fails', async () => {
    const decls = withDecls((d) => d, [{ file: 'conformance/checks/broken.check.ts', message: 'SyntaxError: Unexpected token' }]);
    const { code, lines } = await check({ decls });
    expect(code).toBe(1);
    expect(lines[0]).toBe('conformance/checks/broken.check.ts: tests could not be collected: SyntaxError: Unexpected token');
  });

  test('--fix rewrites only the Tests column, sorted, and the result then passes', async () => {
    const matrix = matrixText
      .replace('| idem.duplicate-replays, idem.duplicate-replays-rest |', '| idem.stale-name |')
      .replace('| sync.outcomes-in-order |', '|  |');
    const { code, lines, matrixAfter } = await check({ matrix, fix: true });
    expect(lines[0]).toMatch(/rewrote the Tests column of 2 row\(s\)/);
    expect(code).toBe(0);
    expect(matrixAfter).toBe(matrixText);
  });

  test('--fix sorts ids and leaves every other byte alone', async () => {
    const decls = withDecls((d) => [...d, { testId: 'aaa.first', verifies: ['OFS-AUD-001'], file: 'a.check.ts' }]);
    const { code, matrixAfter } = await check({ decls, fix: true });
    expect(code).toBe(0);
    const before = matrixText.split('\n');
    const after = matrixAfter.split('\n');
    const changed = after.map((l, i) => [l, before[i]] as const).filter(([a, b]) => a !== b);
    expect(changed).toEqual([
      [
        '| OFS-AUD-001 | MUST | Resolving a conflict affecting PHI emits exactly one audit event. | TR §9.1 | server | aaa.first, aud.one-event-per-resolution |  |',
        '| OFS-AUD-001 | MUST | Resolving a conflict affecting PHI emits exactly one audit event. | TR §9.1 | server | aud.one-event-per-resolution |  |',
      ],
    ]);
  });

  test('--fix refuses to rewrite when some files could not be collected', async () => {
    const matrix = matrixText.replace('| sync.outcomes-in-order |', '|  |');
    const decls = withDecls((d) => d, [{ file: 'x.check.ts', message: 'boom' }]);
    const { code, lines, matrixAfter } = await check({ matrix, decls, fix: true });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/not rewriting .*: some test files could not be collected/);
    expect(matrixAfter).toBe(matrix);
  });

  test('a malformed matrix row is a usage error naming the line', async () => {
    const matrix = matrixText.replace('| OFS-SYNC-005 | MUST |', '| OFS-SYNC-5 | MUST |');
    await expect(check({ matrix })).rejects.toThrow(UsageError);
    await expect(check({ matrix })).rejects.toThrow(/TRACEABILITY_MATRIX\.md:10: malformed requirement ID 'OFS-SYNC-5'/);
  });

  test('bad arguments are usage errors', async () => {
    await expect(run(['verify'])).rejects.toThrow(UsageError);
    await expect(run(['check', '--nope'])).rejects.toThrow(UsageError);
  });
});
