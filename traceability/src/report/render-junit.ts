/**
 * `junit.xml`: one `<testcase>` per test, grouped in one `<testsuite>` per file. Each testcase
 * carries its stable id and its requirement IDs as `<properties>` (`requirements` is the Xray JUnit
 * extension's comma list; `syncproof.testId` our stable id). Verdicts map as: fail → `<failure>`,
 * unknown → `<error>` (the check could not decide), skipped → `<skipped>`.
 */
import type { ResultsDocument, TestResult } from '../results/results-format.js';

// Characters XML 1.0 cannot carry at all.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for an XML attribute (newlines kept as character references). */
export function xmlAttr(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** Escapes text for XML element content. */
export function xmlText(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function property(name: string, value: string): string {
  return `<property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

function testcase(t: TestResult): string {
  const props = [property('syncproof.testId', t.id)];
  if (t.verifies.length) props.push(property('requirements', t.verifies.join(',')));
  const open = `    <testcase name="${xmlAttr(t.title)}" classname="${xmlAttr(t.file)}" time="${seconds(t.durationMs)}">`;
  const body = [`      <properties>${props.join('')}</properties>`];
  const f = t.failure;
  if ((t.verdict === 'fail' || t.verdict === 'unknown') && f) {
    const tag = t.verdict === 'fail' ? 'failure' : 'error';
    const text = [
      f.message,
      f.expected !== undefined ? `expected: ${show(f.expected)}` : '',
      f.received !== undefined ? `received: ${show(f.received)}` : '',
      f.detail ?? '',
    ]
      .filter(Boolean)
      .join('\n');
    body.push(`      <${tag} type="${xmlAttr(f.code)}" message="${xmlAttr(f.message)}">${xmlText(text)}</${tag}>`);
  } else if (t.verdict === 'skipped') {
    body.push(`      <skipped message="${xmlAttr(t.skipReason ?? 'skipped')}"/>`);
  }
  return [open, ...body, '    </testcase>'].join('\n');
}

/** Renders the JUnit XML report. */
export function renderJunit(results: ResultsDocument): string {
  const { run } = results;
  const byFile = new Map<string, TestResult[]>();
  for (const t of results.tests) {
    const list = byFile.get(t.file) ?? [];
    list.push(t);
    byFile.set(t.file, list);
  }
  const runProps = [
    property('syncproof.version', run.tool.version),
    property('syncproof.gitCommit', run.gitCommit ?? ''),
    property('syncproof.seed', run.seed ?? ''),
    property('syncproof.target.name', run.target.name),
    property('syncproof.target.kind', run.target.kind),
    ...(run.target.baseUrl ? [property('syncproof.target.baseUrl', run.target.baseUrl)] : []),
  ];
  const count = (list: readonly TestResult[], v: TestResult['verdict']) => list.filter((t) => t.verdict === v).length;
  const time = (list: readonly TestResult[]) => seconds(list.reduce((s, t) => s + t.durationMs, 0));
  const suites = [...byFile.keys()].sort().map((file) => {
    const list = byFile.get(file) ?? [];
    return [
      `  <testsuite name="${xmlAttr(file)}" tests="${list.length}" failures="${count(list, 'fail')}" errors="${count(list, 'unknown')}" skipped="${count(list, 'skipped')}" time="${time(list)}" timestamp="${xmlAttr(run.startedAt)}" file="${xmlAttr(file)}">`,
      `    <properties>${runProps.join('')}</properties>`,
      ...list.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  const all = results.tests;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="syncproof: ${xmlAttr(run.target.name)}" tests="${all.length}" failures="${count(all, 'fail')}" errors="${count(all, 'unknown')}" time="${time(all)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
