/**
 * Writes a complete report bundle from a results directory: the four renderings, the normalised
 * results, the redacted target profile, and the signed evidence manifest over all of them.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadMatrix, type MatrixRow } from '../matrix/parse-matrix.js';
import { collectSpecExcerpts } from '../matrix/spec-excerpts.js';
import { joinTraceability, type DeclaredLink, type Traceability } from '../join/join-traceability.js';
import { loadResults, ResultsError } from '../results/load-results.js';
import { serializeResults } from '../results/results-format.js';
import { listFiles, sha256 } from '../evidence/hash-files.js';
import { buildManifest, CONTROL_FILES, type ProfileEvidence } from '../evidence/evidence-manifest.js';
import { redactProfile } from '../evidence/redact-profile.js';
import { writeSignedManifest, type SigningKey } from '../evidence/sign-manifest.js';
import { renderMarkdown } from './render-markdown.js';
import { renderHtml } from './render-html.js';
import { renderJunit } from './render-junit.js';
import { renderCtrf } from './render-ctrf.js';
import type { ReportModel } from './report-model.js';

/** Names of the files a report writes. */
export const REPORT_FILES = {
  results: 'results.json',
  markdown: 'traceability.md',
  html: 'traceability.html',
  junit: 'junit.xml',
  ctrf: 'ctrf.json',
  profile: 'target-profile.redacted.yaml',
} as const;

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** Directory holding `results.json` (and any evidence files it references). */
  readonly resultsDir: string;
  /** Where to write the bundle (default: the results directory itself). */
  readonly outDir?: string;
  readonly matrixPath?: string;
  /** Root holding `specs/` and `contracts/` (default: this repository). */
  readonly sourceRoot: string;
  /** Target profile to include, redacted (default: the one the results name, if it exists). */
  readonly profilePath?: string;
  readonly signingKey: SigningKey;
  /** ISO instant written into the reports and the manifest. */
  readonly generatedAt: string;
  /** The self-test summary (reports/selftest/defects.json) linking requirements to caught planted defects. */
  readonly defectsPath?: string;
}

/** What {@link writeReport} produced. */
export interface WrittenReport {
  readonly outDir: string;
  readonly traceability: Traceability;
  /** Bundle files, relative to outDir. */
  readonly files: readonly string[];
}

/** Declarations as the matrix records them (its generated Tests column). */
export function linksFromMatrix(matrix: readonly MatrixRow[]): DeclaredLink[] {
  const byTest = new Map<string, string[]>();
  for (const row of matrix) for (const t of row.tests) byTest.set(t, [...(byTest.get(t) ?? []), row.id]);
  return [...byTest.entries()].map(([testId, verifies]) => ({ testId, verifies }));
}

/** Builds the renderers' model from loaded inputs. */
export function buildReportModel(
  matrix: readonly MatrixRow[],
  results: ReportModel['results'],
  generatedAt: string,
  specExcerpts?: ReportModel['specExcerpts'],
  defectLinks?: ReportModel['defectLinks'],
): ReportModel {
  const traceability = joinTraceability(matrix, linksFromMatrix(matrix), results);
  return { results, traceability, generatedAt, ...(specExcerpts ? { specExcerpts } : {}), ...(defectLinks ? { defectLinks } : {}) };
}

/**
 * Reads the `requirements` map of a self-test summary (format `syncproof-selftest`). Throws
 * ResultsError for a file that is not one.
 */
export function loadDefectLinks(path: string): ReadonlyMap<string, readonly string[]> {
  let doc: { format?: unknown; requirements?: unknown };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as typeof doc;
  } catch (err) {
    throw new ResultsError(`cannot read self-test summary ${path}: ${(err as Error).message}`);
  }
  if (doc.format !== 'syncproof-selftest' || typeof doc.requirements !== 'object' || doc.requirements === null) {
    throw new ResultsError(`${path} is not a syncproof self-test summary (format syncproof-selftest)`);
  }
  const out = new Map<string, readonly string[]>();
  for (const [id, names] of Object.entries(doc.requirements as Record<string, unknown>)) {
    if (Array.isArray(names)) out.set(id, names.filter((n): n is string => typeof n === 'string'));
  }
  return out;
}

const GENERATED = new Set<string>([...Object.values(REPORT_FILES), ...Object.values(CONTROL_FILES)]);

/** Writes the bundle; throws ResultsError / MatrixError on bad inputs. */
export function writeReport(options: WriteReportOptions): WrittenReport {
  const resultsDir = resolve(options.resultsDir);
  const outDir = resolve(options.outDir ?? resultsDir);
  const results = loadResults(join(resultsDir, REPORT_FILES.results));
  const matrix = loadMatrix(options.matrixPath ?? join(options.sourceRoot, 'specs/offline-first/TRACEABILITY_MATRIX.md'));
  const defectLinks = options.defectsPath ? loadDefectLinks(options.defectsPath) : undefined;
  const model = buildReportModel(matrix, results, options.generatedAt, collectSpecExcerpts(join(options.sourceRoot, 'specs')), defectLinks);

  mkdirSync(outDir, { recursive: true });
  if (outDir !== resultsDir) {
    // Evidence files the results reference (histories, repros) travel with the report.
    for (const file of listFiles(resultsDir)) {
      if (GENERATED.has(file)) continue;
      const target = join(outDir, ...file.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(resultsDir, ...file.split('/')), target);
    }
  }
  for (const f of Object.values(CONTROL_FILES)) rmSync(join(outDir, f), { force: true });

  writeFileSync(join(outDir, REPORT_FILES.results), serializeResults(results));
  writeFileSync(join(outDir, REPORT_FILES.markdown), renderMarkdown(model));
  writeFileSync(join(outDir, REPORT_FILES.html), renderHtml(model));
  writeFileSync(join(outDir, REPORT_FILES.junit), renderJunit(results));
  writeFileSync(join(outDir, REPORT_FILES.ctrf), `${JSON.stringify(renderCtrf(results, options.generatedAt), null, 2)}\n`);

  let profile: ProfileEvidence | null = null;
  const profilePath = options.profilePath ?? (results.run.target.profile && existsSync(results.run.target.profile) ? results.run.target.profile : undefined);
  if (profilePath) {
    const redacted = redactProfile(readFileSync(profilePath, 'utf8'));
    writeFileSync(join(outDir, REPORT_FILES.profile), redacted.text);
    profile = { source: basename(profilePath), path: REPORT_FILES.profile, sha256: sha256(redacted.text), redacted: redacted.redacted };
  }

  const manifest = buildManifest({
    bundleDir: outDir,
    sourceRoot: options.sourceRoot,
    results,
    generatedAt: options.generatedAt,
    signer: options.signingKey.fingerprint,
    requirements: model.traceability.totals,
    targetProfile: profile,
  });
  writeSignedManifest(outDir, manifest, options.signingKey);
  return { outDir, traceability: model.traceability, files: listFiles(outDir) };
}
