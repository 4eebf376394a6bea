/** The report model every renderer test uses: fixture matrix, fixture run, a fixed instant. */
import { fileURLToPath } from 'node:url';
import { loadMatrix } from '../../src/matrix/parse-matrix.js';
import { collectSpecExcerpts } from '../../src/matrix/spec-excerpts.js';
import { loadResults } from '../../src/results/load-results.js';
import { buildReportModel } from '../../src/report/write-report.js';
import type { ReportModel } from '../../src/report/report-model.js';

/** Fixture directory as a path. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Fixed generation instant, so golden files are byte-stable. */
export const GENERATED_AT = '2026-11-26T10:05:00.000Z';

/** Builds the fixture report model. */
export function fixtureModel(): ReportModel {
  const matrix = loadMatrix(`${FIXTURES}matrix/basic-matrix.md`);
  const results = loadResults(`${FIXTURES}results/run-basic/results.json`);
  return buildReportModel(matrix, results, GENERATED_AT, collectSpecExcerpts(`${FIXTURES}specs`));
}
