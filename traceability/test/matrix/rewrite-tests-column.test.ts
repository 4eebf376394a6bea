import { describe, expect, test } from 'vitest';
import { parseMatrix } from '../../src/matrix/parse-matrix.js';
import { formatTestsCell, rewriteTestsColumn } from '../../src/matrix/rewrite-tests-column.js';
import { excerptsOf } from '../../src/matrix/spec-excerpts.js';

const HEADER = '| ID | Level | Requirement | Source | Actor | Tests | Not tested |\r\n|---|---|---|---|---|---|---|\r\n';

describe('rewriteTestsColumn', () => {
  test('keeps CRLF line ends, escaped pipes and every other cell as written', () => {
    const text = `intro\r\n\r\n${HEADER}| OFS-IDEM-002 |  MUST | a \\| b |  seed §3 | server | old.id |  |\r\n`;
    const out = rewriteTestsColumn(text, new Map([['OFS-IDEM-002', ['z.two', 'a.one', 'z.two']]]));
    expect(out).toBe(`intro\r\n\r\n${HEADER}| OFS-IDEM-002 |  MUST | a \\| b |  seed §3 | server | a.one, z.two |  |\r\n`);
    expect(parseMatrix(out)[0]?.tests).toEqual(['a.one', 'z.two']);
  });

  test('empties cells of rows without declarations', () => {
    const text = `${HEADER}| OFS-IDEM-002 | MUST | r | s | a | x.y |  |\r\n`;
    expect(rewriteTestsColumn(text, new Map())).toContain('| a |  |  |');
  });

  test('formats ids sorted and de-duplicated', () => {
    expect(formatTestsCell(['b', 'a', 'b'])).toBe('a, b');
    expect(formatTestsCell([])).toBe('');
  });
});

describe('excerptsOf', () => {
  test('returns each paragraph mentioning an ID, with its line', () => {
    const map = excerptsOf('# T\n\nFirst OFS-IDEM-002 para\ncontinues.\n\nOther OFS-IDEM-002 and OFS-SYNC-005.\n', 'specs/x.md');
    expect(map.get('OFS-IDEM-002')).toEqual([
      { file: 'specs/x.md', line: 3, text: 'First OFS-IDEM-002 para\ncontinues.' },
      { file: 'specs/x.md', line: 6, text: 'Other OFS-IDEM-002 and OFS-SYNC-005.' },
    ]);
    expect(map.get('OFS-SYNC-005')).toHaveLength(1);
  });
});
