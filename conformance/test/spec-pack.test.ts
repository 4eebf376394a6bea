import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadMatrix, MatrixError, parseMatrix, REQUIREMENT_ID } from '../../traceability/src/matrix/parse-matrix.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rows = loadMatrix();

describe('spec pack', () => {
  test('the matrix holds at least 60 distinct well-formed requirement IDs, each with level and source', () => {
    const ids = new Set(rows.map((r) => r.id));
    expect(ids.size).toBe(rows.length);
    expect(ids.size).toBeGreaterThanOrEqual(60);
    for (const row of rows) {
      expect(row.id).toMatch(REQUIREMENT_ID);
      expect(['MUST', 'SHOULD', 'MAY']).toContain(row.level);
      expect(row.source).toMatch(/(seed|TR) §\d/);
    }
  });

  test('every requirement ID appears in the spine or the technical requirements', () => {
    const spine = readFileSync(`${root}specs/OFFLINE_FIRST.md`, 'utf8');
    const tr = readFileSync(`${root}specs/offline-first/TECHNICAL_REQUIREMENTS.md`, 'utf8');
    const missing = rows.filter((r) => !spine.includes(r.id) && !tr.includes(r.id)).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  test('every TR section the matrix cites exists as a heading in TECHNICAL_REQUIREMENTS.md', () => {
    const tr = readFileSync(`${root}specs/offline-first/TECHNICAL_REQUIREMENTS.md`, 'utf8');
    const headings = new Set([...tr.matchAll(/^#+\s*§?(\d+(?:\.\d+)?)\b/gm)].map((m) => m[1]));
    const cited = new Set(rows.flatMap((r) => [...r.source.matchAll(/TR §(\d+(?:\.\d+)?)/g)].map((m) => m[1])));
    const absent = [...cited].filter((s) => !headings.has(s));
    expect(absent).toEqual([]);
  });

  test('rows that cannot be tested over the wire give a reason', () => {
    for (const row of rows.filter((r) => r.actor === 'device' && r.level === 'MUST' && r.id.startsWith('OFS-SEC'))) {
      expect(row.notTested, row.id).not.toBe('');
    }
  });

  test('the documents the pack promises exist', () => {
    for (const f of [
      'specs/OFFLINE_FIRST.md',
      'specs/offline-first/SPEC.md',
      'specs/offline-first/TECHNICAL_REQUIREMENTS.md',
      'specs/offline-first/SOLUTION_DESIGN.md',
      'specs/modules/clinic/SPEC.md',
      'specs/modules/clinic/TECHNICAL_REQUIREMENTS.md',
      'specs/modules/clinic/EVENT_MODEL.md',
    ]) {
      expect(existsSync(`${root}${f}`), f).toBe(true);
    }
  });
});

describe('parseMatrix', () => {
  const header = '| ID | Level | Requirement | Source | Actor | Tests | Not tested |\n|---|---|---|---|---|---|---|\n';

  test('names the line of a malformed row', () => {
    const text = `${header}| OFS-IDEM-001 | MUST | ok | seed §3 | server |  |  |\n| OFS-IDEM-002 | OFTEN | bad | seed §3 | server |  |  |\n`;
    expect(() => parseMatrix(text, 'm.md')).toThrow(MatrixError);
    expect(() => parseMatrix(text, 'm.md')).toThrow(/^m\.md:4: OFS-IDEM-002: level/);
  });

  test('rejects a duplicate ID and a wrong cell count', () => {
    const dup = `${header}| OFS-IDEM-001 | MUST | a | seed §3 | server |  |  |\n| OFS-IDEM-001 | MUST | b | seed §3 | server |  |  |\n`;
    expect(() => parseMatrix(dup, 'm.md')).toThrow(/already defined on line 3/);
    expect(() => parseMatrix(`${header}| OFS-IDEM-001 | MUST | a |\n`, 'm.md')).toThrow(/expected 7 cells/);
  });

  test('reads the generated tests column', () => {
    const text = `${header}| OFS-IDEM-001 | SHOULD | a | seed §3 | client | idem.a, idem.b |  |\n`;
    expect(parseMatrix(text)[0]?.tests).toEqual(['idem.a', 'idem.b']);
  });
});
