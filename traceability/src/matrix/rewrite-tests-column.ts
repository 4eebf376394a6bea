/**
 * Rewrites the generated Tests column of the matrix and nothing else: every other byte of the
 * file, including the other cells' spacing, stays as the spec authors wrote it.
 */
import { parseMatrix } from './parse-matrix.js';

/** Index of the Tests cell among the pipe-separated pieces of a row (piece 0 is before the first pipe). */
const TESTS_PIECE = 6;

/** Formats a Tests cell: ids sorted, comma-separated. */
export function formatTestsCell(testIds: readonly string[]): string {
  return [...new Set(testIds)].sort().join(', ');
}

/**
 * Returns `text` with each row's Tests cell set to `expected.get(id)` (rows absent from the map
 * get an empty cell). Throws MatrixError on a malformed matrix, like the parser.
 */
export function rewriteTestsColumn(text: string, expected: ReadonlyMap<string, readonly string[]>, file?: string): string {
  const rows = parseMatrix(text, file);
  const byLine = new Map(rows.map((r) => [r.line, r]));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text
    .split(/\r?\n/)
    .map((raw, index) => {
      const row = byLine.get(index + 1);
      if (!row) return raw;
      const pieces = raw.split(/(?<!\\)\|/);
      const cell = formatTestsCell(expected.get(row.id) ?? []);
      pieces[TESTS_PIECE] = cell ? ` ${cell} ` : '  ';
      return pieces.join('|');
    })
    .join(eol);
}
