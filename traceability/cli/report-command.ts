/**
 * `syncproof report <results-dir> [--out <dir>] [--signing-key <pem>] [--profile <file>] [--matrix <file>]`:
 * renders traceability.md/.html, junit.xml, ctrf.json and the normalised results.json, and signs
 * an evidence manifest over them. Exit 0 when the bundle is written (the verdicts themselves are
 * for `syncproof run` to gate on), 2 on bad input.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../conformance/cli/usage-error.js';
import { MatrixError } from '../src/matrix/parse-matrix.js';
import { ResultsError } from '../src/results/load-results.js';
import { REPO_ROOT } from '../src/results/run-metadata.js';
import { resolveSigningKey, SigningKeyError, SIGNING_KEY_ENV, type SigningKey } from '../src/evidence/sign-manifest.js';
import { writeReport } from '../src/report/write-report.js';

const USAGE = 'usage: syncproof report <results-dir> [--out <dir>] [--signing-key <pem>] [--profile <file>] [--matrix <file>] [--defects <selftest/defects.json>]';

/** Output sink and clock, injectable for tests. */
export interface ReportIo {
  readonly out: (line: string) => void;
  readonly now: () => Date;
  readonly env: NodeJS.ProcessEnv;
}

const defaultIo: ReportIo = { out: (line) => process.stdout.write(`${line}\n`), now: () => new Date(), env: process.env };

/** Report timestamp: `SOURCE_DATE_EPOCH` (reproducible builds convention) when set, else now. */
export function reportInstant(io: ReportIo): string {
  const epoch = io.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds, got '${epoch}'`);
    return new Date(Number(epoch) * 1000).toISOString();
  }
  return io.now().toISOString();
}

/** Runs `report <args>`; resolves to the exit code. */
export async function run(args: string[], io: ReportIo = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        'signing-key': { type: 'string' },
        profile: { type: 'string' },
        matrix: { type: 'string' },
        defects: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`expected one results directory\n${USAGE}`);
  const resultsDir = resolve(positionals[0] as string);
  if (!existsSync(resultsDir)) throw new UsageError(`results directory ${positionals[0]} does not exist`);
  if (values.profile && !existsSync(values.profile)) throw new UsageError(`profile ${values.profile} does not exist`);
  if (values.defects && !existsSync(values.defects)) throw new UsageError(`self-test summary ${values.defects} does not exist`);

  let key: SigningKey;
  try {
    key = resolveSigningKey(values['signing-key'], io.env);
  } catch (err) {
    if (err instanceof SigningKeyError) throw new UsageError(err.message);
    throw err;
  }

  let written;
  try {
    written = writeReport({
      resultsDir,
      ...(values.out ? { outDir: values.out } : {}),
      ...(values.matrix ? { matrixPath: values.matrix } : {}),
      ...(values.profile ? { profilePath: values.profile } : {}),
      ...(values.defects ? { defectsPath: values.defects } : {}),
      sourceRoot: REPO_ROOT,
      signingKey: key,
      generatedAt: reportInstant(io),
    });
  } catch (err) {
    if (err instanceof ResultsError || err instanceof MatrixError) throw new UsageError(err.message);
    throw err;
  }

  const shown = relative(process.cwd(), written.outDir) || '.';
  const t = written.traceability.totals;
  io.out(`report: wrote ${written.files.length} files to ${shown}/ (traceability.md, traceability.html, junit.xml, ctrf.json, results.json, evidence.dsse.json)`);
  io.out(
    `report: ${t.requirements} requirements: ${t.verified} verified, ${t.failed} failed, ${t.unknown} unknown, ${t.notRun} not run, ${t.notTested} not tested`,
  );
  if (key.source === 'generated') {
    io.out(`report: no signing key given (--signing-key or ${SIGNING_KEY_ENV}); signed with a one-time key, fingerprint ${key.fingerprint}`);
    io.out('report: record this fingerprint somewhere the bundle cannot change it (CI log, ticket); its public key:');
    io.out(key.publicKey.export({ type: 'spki', format: 'pem' }).toString().trimEnd());
  } else {
    io.out(`report: signed with ${key.path} (fingerprint ${key.fingerprint})`);
  }
  io.out(`report: public key and fingerprint stored in ${shown}/evidence.pub.pem and ${shown}/evidence.fingerprint.txt`);
  return 0;
}
