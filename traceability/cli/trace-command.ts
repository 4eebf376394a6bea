/**
 * `syncproof trace check [--fix]`: fails (exit 1, one problem per line) when the matrix and the
 * tests' declarations drift. See {@link checkTrace} for the rules.
 */
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { UsageError } from '../../conformance/cli/usage-error.js';
import { DEFAULT_MATRIX_PATH, MatrixError, parseMatrix } from '../src/matrix/parse-matrix.js';
import { rewriteTestsColumn } from '../src/matrix/rewrite-tests-column.js';
import { collectDeclarations, loadDeclarationsFile, type Declarations } from '../src/collect/collect-declarations.js';
import { checkTrace, expectedTestsColumn } from '../src/check/check-trace.js';
import { REPO_ROOT } from '../src/results/run-metadata.js';

const USAGE = 'usage: syncproof trace check [--fix] [--matrix <file>] [--declarations <file.json>] [--root <dir>]';

/** Output sinks, injectable for tests. */
export interface TraceIo {
  readonly out: (line: string) => void;
}

const defaultIo: TraceIo = { out: (line) => process.stdout.write(`${line}\n`) };

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        fix: { type: 'boolean', default: false },
        matrix: { type: 'string' },
        declarations: { type: 'string' },
        root: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
}

/** Runs `trace <args>`; resolves to the exit code. */
export async function run(args: string[], io: TraceIo = defaultIo): Promise<number> {
  const { values, positionals } = parse(args);
  if (positionals.length !== 1 || positionals[0] !== 'check') {
    throw new UsageError(`expected the subcommand 'check'\n${USAGE}`);
  }
  const root = resolve(values.root ?? REPO_ROOT);
  const matrixPath = resolve(values.matrix ?? (values.root ? resolve(root, 'specs/offline-first/TRACEABILITY_MATRIX.md') : DEFAULT_MATRIX_PATH));
  const display = relative(process.cwd(), matrixPath) || matrixPath;

  let text: string;
  try {
    text = readFileSync(matrixPath, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read matrix ${display}: ${(err as Error).message}`);
  }
  const matrix = (() => {
    try {
      return parseMatrix(text, display);
    } catch (err) {
      if (err instanceof MatrixError) throw new UsageError(err.message);
      throw err;
    }
  })();

  let decls: Declarations;
  if (values.declarations) {
    try {
      decls = loadDeclarationsFile(resolve(values.declarations));
    } catch (err) {
      throw new UsageError(`cannot read declarations: ${(err as Error).message}`);
    }
  } else {
    decls = await collectDeclarations({ root });
  }

  let rows = matrix;
  if (values.fix) {
    if (decls.problems.length > 0) {
      io.out(`trace check: not rewriting ${display}: some test files could not be collected, so their declarations are unknown`);
    } else {
      const fixed = rewriteTestsColumn(text, expectedTestsColumn(matrix, decls), display);
      if (fixed !== text) {
        writeFileSync(matrixPath, fixed);
        rows = parseMatrix(fixed, display);
        const changed = rows.filter((r, i) => r.tests.join() !== matrix[i]?.tests.join()).length;
        io.out(`trace check: rewrote the Tests column of ${changed} row(s) in ${display}`);
      }
    }
  }

  const problems = checkTrace(rows, decls, display);
  for (const p of problems) io.out(p.message);
  const tested = new Set(decls.declarations.flatMap((d) => d.verifies)).size;
  const summary = `${rows.length} requirements, ${decls.declarations.length} declaring tests covering ${tested} IDs`;
  if (problems.length > 0) {
    io.out(`trace check: ${problems.length} problem(s); ${summary}`);
    return 1;
  }
  io.out(`trace check: ok; ${summary}`);
  return 0;
}
