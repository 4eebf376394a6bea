/**
 * `traceability.md`: sized for a GitHub step summary. Totals first, then every failed or
 * inconclusive requirement with the tests that made it so, then the full table.
 */
import type { RequirementStatus, VerdictCounts } from '../join/join-traceability.js';
import { countTests } from '../results/results-format.js';
import { ranCount, TEST_VERDICT_LABEL, VERDICT_LABEL, type ReportModel } from './report-model.js';

/** Escapes text for a Markdown table cell or list item (pipes, newlines, HTML). */
export function mdText(text: string, max = 400): string {
  const one = text.replace(/\s*\r?\n\s*/g, ' ').trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return cut.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function shortValue(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return mdText(s ?? String(value), 120);
}

function countsRow(label: string, key: keyof VerdictCounts, model: ReportModel): string {
  const t = model.traceability;
  return `| ${label} | ${t.totalsByLevel.MUST[key]} | ${t.totalsByLevel.SHOULD[key]} | ${t.totalsByLevel.MAY[key]} | **${t.totals[key]}** |`;
}

function failureBlock(req: RequirementStatus): string[] {
  const lines = [`### ${VERDICT_LABEL[req.verdict]}: ${req.id} (${req.level})`, '', `> ${mdText(req.requirement, 1_000)}`, ''];
  for (const t of req.tests) {
    if (t.verdict !== 'fail' && t.verdict !== 'unknown') continue;
    const f = t.result?.failure;
    const where = t.file ? ` (${t.file}${t.result?.line ? `:${t.result.line}` : ''})` : '';
    lines.push(`- ${TEST_VERDICT_LABEL[t.verdict]} ${code(t.testId)}${where}${f ? `: ${code(f.code)} ${mdText(f.message, 300)}` : ''}`);
    if (f && (f.expected !== undefined || f.received !== undefined)) {
      lines.push(`  - expected ${code(shortValue(f.expected))}, received ${code(shortValue(f.received))}`);
    }
  }
  lines.push('');
  return lines;
}

/** Renders the Markdown report. */
export function renderMarkdown(model: ReportModel): string {
  const { run } = model.results;
  const t = model.traceability;
  const tests = countTests(model.results.tests);
  const target = [run.target.kind, run.target.baseUrl].filter(Boolean).join(', ');
  const lines: string[] = [
    '# syncproof traceability report',
    '',
    `**Target:** ${mdText(run.target.name)} (${mdText(target)})${run.target.version ? ` version ${mdText(run.target.version)}` : ''}  `,
    `**Suite:** ${mdText(run.tool.name)} ${mdText(run.tool.version)}, commit ${run.gitCommit ? code(run.gitCommit.slice(0, 12)) : 'unknown'}, seed ${run.seed === null ? 'none' : code(run.seed)}  `,
    `**Run:** ${run.startedAt} → ${run.finishedAt} (${mdText(run.producer)}); report generated ${model.generatedAt}`,
    '',
    '| Requirements | MUST | SHOULD | MAY | Total |',
    '|---|---:|---:|---:|---:|',
    countsRow(VERDICT_LABEL.failed, 'failed', model),
    countsRow(VERDICT_LABEL.unknown, 'unknown', model),
    countsRow(VERDICT_LABEL['not run'], 'notRun', model),
    countsRow(VERDICT_LABEL['not tested'], 'notTested', model),
    countsRow(VERDICT_LABEL.verified, 'verified', model),
    countsRow('all', 'requirements', model),
    '',
    `**Tests:** ${tests.tests} in this run: ${tests.pass} passed, ${tests.fail} failed, ${tests.unknown} unknown, ${tests.skipped} skipped.`,
    '',
  ];
  const defects = model.defectLinks;
  if (defects) {
    const names = new Set([...defects.values()].flat());
    lines.push(`**Self-test:** ${defects.size} requirements have checks proven to catch ${names.size} planted defects (column *Caught defects*).`, '');
  }

  const bad = t.requirements.filter((r) => r.verdict === 'failed' || r.verdict === 'unknown');
  bad.sort((a, b) => (a.verdict === b.verdict ? 0 : a.verdict === 'failed' ? -1 : 1));
  lines.push(`## Failed and inconclusive requirements (${bad.length})`, '');
  if (bad.length === 0) lines.push('No requirement failed or was inconclusive in this run.', '');
  for (const req of bad) lines.push(...failureBlock(req));

  if (t.unknownCitations.length > 0) {
    lines.push(`## Tests citing unknown requirement IDs (${t.unknownCitations.length})`, '');
    for (const c of t.unknownCitations) lines.push(`- ${code(c.testId)} cites ${code(c.requirementId)}`);
    lines.push('');
  }

  if (defects) lines.push('## All requirements', '', '| ID | Level | Verdict | Tests (ran) | Caught defects | Requirement |', '|---|---|---|---|---|---|');
  else lines.push('## All requirements', '', '| ID | Level | Verdict | Tests (ran) | Requirement |', '|---|---|---|---|---|');
  for (const req of t.requirements) {
    const testsCell = req.tests.length
      ? `${req.tests.map((x) => code(x.testId)).join(', ')} (${ranCount(req.tests)})`
      : mdText(req.reason ?? '', 160);
    const defectsCell = defects ? ` ${(defects.get(req.id) ?? []).map(code).join(', ')} |` : '';
    lines.push(`| ${req.id} | ${req.level} | ${VERDICT_LABEL[req.verdict]} | ${testsCell} |${defectsCell} ${mdText(req.requirement, 300)} |`);
  }
  lines.push('');
  return lines.join('\n');
}
