/**
 * Options of `syncproof run`, parsed strictly: an unknown option or a bad value is a
 * {@link UsageError} (exit 2) naming it.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../../cli/usage-error.js';
import { defectNames, UnknownDefectError } from '../../../reference-impl/src/defects/catalogue.js';

/** Parsed options. */
export interface RunOptions {
  /** Target profile path; absent = the embedded reference server. */
  readonly target?: string;
  /** Glob over check ids (`idem.*`, `auth.*,ten.*`). */
  readonly only?: string;
  readonly seed: number;
  /** Results directory. @defaultValue reports */
  readonly out: string;
  /** Which requirement levels make a failing or undecided check count for the exit code. */
  readonly failOn: 'must' | 'should';
  /** Skip the Prism validation proxy. */
  readonly noContractProxy: boolean;
  /** Skip the traceability report step. */
  readonly noReport: boolean;
  /**
   * Hidden, self-test only (`npm run selftest`, conformance/selftest/): plant these catalogue
   * defects (reference-impl/src/defects/catalogue.ts) in the embedded reference server. Refused
   * with --target: a defect can only be planted in the server this process starts.
   */
  readonly defects: readonly string[];
}

const USAGE = 'usage: syncproof run [--target <profile.yaml>] [--only <id-glob>] [--seed <n>] [--out <dir>] [--fail-on must|should] [--no-prism] [--no-report]';

/** Parses `args`. `randomSeed` supplies the seed when none is given. */
export function parseRunOptions(args: readonly string[], randomSeed: () => number): RunOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        target: { type: 'string' },
        only: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        'fail-on': { type: 'string' },
        'no-prism': { type: 'boolean' },
        'no-report': { type: 'boolean' },
        defect: { type: 'string', multiple: true },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]}\n${USAGE}`);
  }
  const v = parsed.values;
  let seed = randomSeed();
  if (v.seed !== undefined) {
    if (!/^-?\d{1,10}$/.test(v.seed) || Math.abs(Number(v.seed)) > 2 ** 31 - 1) throw new UsageError(`--seed must be a 32-bit integer, got '${v.seed}'`);
    seed = Number(v.seed);
  }
  const failOn = v['fail-on'] ?? 'must';
  if (failOn !== 'must' && failOn !== 'should') throw new UsageError(`--fail-on must be 'must' or 'should', got '${failOn}'`);
  if (v.only !== undefined && !/^[a-z0-9.*?,-]+$/.test(v.only)) throw new UsageError(`--only takes a glob over check ids (e.g. 'idem.*'), got '${v.only}'`);
  if (v.out !== undefined && v.out.trim() === '') throw new UsageError('--out must not be empty');
  const defects = v.defect ?? [];
  if (defects.length > 0 && v.target !== undefined) throw new UsageError('--defect plants a defect in the embedded reference server; it cannot be combined with --target');
  try {
    defectNames(defects);
  } catch (err) {
    if (err instanceof UnknownDefectError) throw new UsageError(err.message);
    throw err;
  }
  return {
    ...(v.target !== undefined ? { target: v.target } : {}),
    ...(v.only !== undefined ? { only: v.only } : {}),
    seed,
    out: v.out ?? 'reports',
    failOn,
    noContractProxy: v['no-prism'] === true,
    noReport: v['no-report'] === true,
    defects,
  };
}
