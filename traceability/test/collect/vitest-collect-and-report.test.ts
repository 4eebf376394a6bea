/**
 * Runs a nested vitest over fixture test files (traceability/test/fixtures/vitest-project/*.fixture.ts)
 * to check the declarations collector and the reporter against vitest itself, not against mocks.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVitest } from 'vitest/node';
import { describe, expect, test } from 'vitest';
import { collectDeclarations } from '../../src/collect/collect-declarations.js';
import TraceabilityReporter, { classifyErrors } from '../../src/collect/vitest-reporter.js';
import { parseResults } from '../../src/results/load-results.js';
import type { ResultsDocument, TestResult } from '../../src/results/results-format.js';

const PROJECT = fileURLToPath(new URL('../fixtures/vitest-project/', import.meta.url));

describe('collectDeclarations (vitest collection only)', () => {
  test('finds each declared test with its IDs, file and line, and reports uncollectable files', async () => {
    const { declarations, problems } = await collectDeclarations({ root: PROJECT, config: false, include: ['**/*.fixture.ts'] });
    expect(declarations.map((d) => [d.testId, d.verifies, d.file, d.line])).toEqual([
      ['fixture.assertion-fails', ['OFS-IDEM-005', 'OFS-IDEM-002'], 'declared.fixture.ts', 10],
      ['fixture.crashes', ['OFS-SYNC-005'], 'declared.fixture.ts', 14],
      ['fixture.inconclusive', ['OFS-EVT-001'], 'declared.fixture.ts', 19],
      ['fixture.passes', ['OFS-IDEM-002'], 'declared.fixture.ts', 6],
      ['fixture.skipped', ['OFS-IDEM-012'], 'declared.fixture.ts', 27],
      ['fixture.times-out', ['OFS-TEN-003'], 'declared.fixture.ts', 23],
    ]);
    expect(problems).toEqual([
      { file: 'broken.fixture.ts', message: expect.stringContaining("cites unknown requirement ID 'OFS-CONF-999'") },
    ]);
  });
});

describe('TraceabilityReporter (a real vitest run)', () => {
  async function runFixtures(): Promise<ResultsDocument> {
    const out = join(mkdtempSync(join(tmpdir(), 'reporter-')), 'results.json');
    let tick = Date.parse('2026-11-26T09:00:00Z');
    const reporter = new TraceabilityReporter({
      outputFile: out,
      seed: '7',
      now: () => new Date((tick += 1000)),
    });
    const exitCode = process.exitCode;
    const vitest = await createVitest(
      'test',
      { root: PROJECT, config: false, include: ['**/*.fixture.ts'], watch: false, reporters: [reporter], includeTaskLocation: true },
      {},
      {},
    );
    try {
      await vitest.start();
    } finally {
      await vitest.close();
      // The fixtures fail on purpose; that must not fail the outer run.
      process.exitCode = exitCode;
    }
    return parseResults(JSON.parse(readFileSync(out, 'utf8')), out);
  }

  test('writes a schema-valid results.json with one verdict per test', async () => {
    const doc = await runFixtures();
    const byId = new Map<string, TestResult>(doc.tests.map((t) => [t.id, t]));
    const verdicts = Object.fromEntries(doc.tests.map((t) => [t.id, t.verdict]));
    expect(verdicts).toEqual({
      'broken.fixture.ts::(module)': 'unknown',
      'declared.fixture.ts::plain test outside the matrix': 'pass',
      'fixture.assertion-fails': 'fail',
      'fixture.crashes': 'unknown',
      'fixture.inconclusive': 'unknown',
      'fixture.passes': 'pass',
      'fixture.skipped': 'skipped',
      'fixture.times-out': 'unknown',
    });
    expect(byId.get('fixture.assertion-fails')).toMatchObject({
      verifies: ['OFS-IDEM-002', 'OFS-IDEM-005'],
      file: 'declared.fixture.ts',
      line: 10,
      failure: { code: 'assertion', expected: expect.stringContaining('rejected'), received: expect.stringContaining('applied') },
    });
    expect(byId.get('fixture.crashes')?.failure?.code).toBe('crashed');
    expect(byId.get('fixture.inconclusive')?.failure).toMatchObject({ code: 'service-unavailable', message: 'NATS unavailable' });
    expect(byId.get('fixture.times-out')?.failure?.code).toBe('timeout');
    expect(byId.get('fixture.skipped')?.skipReason).toBe('profile: module has no REST writes');
    expect(byId.get('broken.fixture.ts::(module)')?.failure?.code).toBe('collection-failed');
    expect(doc.run).toMatchObject({
      producer: 'vitest-reporter',
      seed: '7',
      target: { kind: 'none' },
      startedAt: expect.stringMatching(/^2026-11-26T09:00:0\d\.000Z$/),
    });
    expect(Date.parse(doc.run.finishedAt)).toBeGreaterThan(Date.parse(doc.run.startedAt));
  }, 60_000);
});

describe('classifyErrors', () => {
  test('assertion → fail, timeout → unknown, crash → unknown, declared verdicts win', () => {
    expect(classifyErrors([{ name: 'AssertionError', message: 'x', expected: '1', actual: '2' }])).toMatchObject({
      verdict: 'fail',
      failure: { code: 'assertion', expected: '1', received: '2' },
    });
    expect(classifyErrors([{ name: 'Error', message: 'Test timed out in 50ms.\nIf this is a long-running test…' }])).toMatchObject({
      verdict: 'unknown',
      failure: { code: 'timeout', message: 'Test timed out in 50ms.' },
    });
    expect(classifyErrors([{ name: 'TypeError', message: 'x is undefined' }]).verdict).toBe('unknown');
    expect(classifyErrors([{ name: 'CheckFailure', message: 'replay differs', verdict: 'fail', code: 'idem.replay-differs' }])).toMatchObject({
      verdict: 'fail',
      failure: { code: 'idem.replay-differs' },
    });
    expect(classifyErrors([]).verdict).toBe('unknown');
  });
});
