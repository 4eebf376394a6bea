/**
 * Parses `specs/offline-first/TRACEABILITY_MATRIX.md` into a typed model. The matrix is the closed
 * list of requirement IDs: tests may cite only what it holds.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** RFC 2119 level of a requirement. */
export type RequirementLevel = 'MUST' | 'SHOULD' | 'MAY';

/** One row of the matrix. */
export interface MatrixRow {
  readonly id: string;
  readonly level: RequirementLevel;
  readonly requirement: string;
  readonly source: string;
  readonly actor: string;
  /** Stable test ids from the generated Tests column. */
  readonly tests: readonly string[];
  /** Why the suite cannot test it over the wire; empty for testable rows. */
  readonly notTested: string;
  /** 1-based line in the file, for error messages. */
  readonly line: number;
}

/** Grammar of a requirement ID: `OFS-<AREA>-<NNN>`. */
export const REQUIREMENT_ID = /^OFS-(STORE|IDEM|SYNC|CONF|AUD|EVT|SEC|TEN|AUTH)-\d{3}$/;

const HEADER = ['ID', 'Level', 'Requirement', 'Source', 'Actor', 'Tests', 'Not tested'];
const LEVELS = new Set<string>(['MUST', 'SHOULD', 'MAY']);

/** A matrix that cannot be read; the message names the file and line. */
export class MatrixError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'MatrixError';
  }
}

/** Default location of the matrix in this repository. */
export const DEFAULT_MATRIX_PATH = fileURLToPath(
  new URL('../../../specs/offline-first/TRACEABILITY_MATRIX.md', import.meta.url),
);

function splitRow(text: string): string[] {
  // Cells are separated by unescaped pipes; the outer pipes frame the row.
  const inner = text.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** Parses matrix text. Throws {@link MatrixError} on a malformed row or a duplicate ID. */
export function parseMatrix(text: string, file = 'TRACEABILITY_MATRIX.md'): MatrixRow[] {
  const lines = text.split(/\r?\n/);
  const rows: MatrixRow[] = [];
  const seen = new Map<string, number>();
  let inTable = false;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (!trimmed.startsWith('|')) {
      inTable = false;
      return;
    }
    const cells = splitRow(trimmed);
    if (!inTable) {
      if (cells[0] === 'ID') {
        if (cells.join('|') !== HEADER.join('|')) {
          throw new MatrixError(file, line, `table header must be | ${HEADER.join(' | ')} |`);
        }
        inTable = true;
      }
      return;
    }
    if (cells.every((c) => /^:?-+:?$/.test(c))) return;
    if (cells.length !== HEADER.length) {
      throw new MatrixError(file, line, `expected ${HEADER.length} cells, found ${cells.length}`);
    }
    const [id, level, requirement, source, actor, tests, notTested] = cells as [
      string, string, string, string, string, string, string,
    ];
    if (!REQUIREMENT_ID.test(id)) throw new MatrixError(file, line, `malformed requirement ID '${id}'`);
    if (!LEVELS.has(level)) throw new MatrixError(file, line, `${id}: level must be MUST, SHOULD or MAY, not '${level}'`);
    if (!requirement) throw new MatrixError(file, line, `${id}: empty requirement text`);
    if (!source) throw new MatrixError(file, line, `${id}: empty source`);
    const first = seen.get(id);
    if (first !== undefined) throw new MatrixError(file, line, `${id} already defined on line ${first}`);
    seen.set(id, line);
    rows.push({
      id,
      level: level as RequirementLevel,
      requirement,
      source,
      actor,
      tests: tests ? tests.split(',').map((t) => t.trim().replace(/^`|`$/g, '')).filter(Boolean) : [],
      notTested,
      line,
    });
  });
  if (rows.length === 0) throw new MatrixError(file, 1, 'no requirement rows found');
  return rows;
}

/** Reads and parses the matrix file. */
export function loadMatrix(path: string = DEFAULT_MATRIX_PATH): MatrixRow[] {
  return parseMatrix(readFileSync(path, 'utf8'), path);
}
