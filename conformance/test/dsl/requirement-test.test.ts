import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DeclarationError, validateDeclaration } from '../../src/dsl/requirement-test.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const known = new Set(['OFS-IDEM-002', 'OFS-TEN-001']);

function runFixture(name: string) {
  return spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', 'conformance/test/dsl/fixtures/vitest.fixture.config.ts'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, SYNCPROOF_FIXTURE: `conformance/test/dsl/fixtures/${name}` } },
  );
}

describe('validateDeclaration', () => {
  test('accepts IDs from the closed list', () => {
    expect(() => validateDeclaration({ id: 'idem.replay', verifies: ['OFS-IDEM-002'] }, known)).not.toThrow();
  });

  test('rejects an unknown requirement ID and names it', () => {
    expect(() => validateDeclaration({ id: 'idem.replay', verifies: ['OFS-IDEM-002', 'OFS-IDEM-777'] }, known)).toThrow(
      /test 'idem\.replay' cites unknown requirement ID 'OFS-IDEM-777'/,
    );
  });

  test('rejects an empty verifies list and a malformed test id', () => {
    expect(() => validateDeclaration({ id: 'idem.replay', verifies: [] }, known)).toThrow(DeclarationError);
    expect(() => validateDeclaration({ id: 'Idem Replay', verifies: ['OFS-IDEM-002'] }, known)).toThrow(/lower-case/);
  });

  test('checks against the real matrix by default', () => {
    expect(() => validateDeclaration({ id: 'x.y', verifies: ['OFS-AUTH-001'] })).not.toThrow();
    expect(() => validateDeclaration({ id: 'x.y', verifies: ['OFS-AUTH-999'] })).toThrow(/OFS-AUTH-999/);
  });
});

describe('requirementTest in a real vitest run', () => {
  test('an unknown ID fails the run with a clear message', () => {
    const result = runFixture('unknown-id.fixture.ts');
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain("cites unknown requirement ID 'OFS-IDEM-999'");
  });

  test('a known ID runs and records its declaration as task meta', () => {
    const result = runFixture('known-id.fixture.ts');
    expect(`${result.stdout}${result.stderr}`).toMatch(/1 passed/);
    expect(result.status).toBe(0);
  });
});
