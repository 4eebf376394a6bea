/**
 * `traceability.html`: one self-contained file for auditors. No network (a Content-Security-Policy
 * forbids every fetch), inline CSS and a few lines of inline JS for filtering. The table is rendered
 * server-side, so the report reads fine with scripts off; each requirement expands (native
 * `<details>`) to its tests, their failures and evidence, and the spec text.
 */
import { REQUIREMENT_VERDICTS, type LinkedTest, type RequirementStatus } from '../join/join-traceability.js';
import type { EvidenceItem } from '../results/results-format.js';
import { countTests } from '../results/results-format.js';
import { HTML_TEST_VERDICT_LABEL as TEST_VERDICT_LABEL, HTML_VERDICT_LABEL as VERDICT_LABEL, ranCount, type ReportModel } from './report-model.js';

/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function slug(verdict: string): string {
  return verdict.replace(/\s+/g, '-');
}

function pretty(value: unknown, max = 4_000): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
  return s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters)` : s;
}

function evidenceHtml(items: readonly EvidenceItem[] | undefined): string {
  if (!items?.length) return '';
  return `<ul class="evidence">${items
    .map(
      (e) =>
        `<li><span class="label">${esc(e.label)}</span>${e.mediaType ? ` <span class="mt">${esc(e.mediaType)}</span>` : ''}${
          e.path ? ` <code>${esc(e.path)}</code>` : ''
        }${e.sha256 ? ` <span class="hash">sha256 ${esc(e.sha256)}</span>` : ''}${
          e.data !== undefined ? `<pre>${esc(pretty(e.data))}</pre>` : ''
        }</li>`,
    )
    .join('')}</ul>`;
}

function testHtml(t: LinkedTest): string {
  const r = t.result;
  const f = r?.failure;
  const where = t.file ? `<code>${esc(t.file)}${r?.line ? `:${r.line}` : ''}</code>` : '';
  const parts = [
    `<li class="test t-${slug(t.verdict)}"><span class="badge ${slug(t.verdict)}">${esc(TEST_VERDICT_LABEL[t.verdict])}</span> <code class="tid">${esc(t.testId)}</code> ${esc(t.title)} ${where}${
      r ? ` <span class="dur">${r.durationMs} ms</span>` : ''
    }`,
  ];
  if (f) {
    parts.push(`<div class="failure"><code>${esc(f.code)}</code> ${esc(f.message)}`);
    if (f.expected !== undefined) parts.push(`<div>expected</div><pre>${esc(pretty(f.expected))}</pre>`);
    if (f.received !== undefined) parts.push(`<div>received</div><pre>${esc(pretty(f.received))}</pre>`);
    if (f.detail) parts.push(`<details class="stack"><summary>detail</summary><pre>${esc(pretty(f.detail))}</pre></details>`);
    parts.push(evidenceHtml(f.evidence), '</div>');
  }
  if (r?.skipReason) parts.push(`<div class="skip">skipped: ${esc(r.skipReason)}</div>`);
  parts.push(evidenceHtml(r?.evidence), '</li>');
  return parts.join('');
}

function requirementRow(req: RequirementStatus, model: ReportModel): string {
  const excerpts = model.specExcerpts?.get(req.id) ?? [];
  const detail = [
    `<div class="detail"><p class="src">${esc(req.level)} · source ${esc(req.source)}</p>`,
    req.reason ? `<p class="reason">${esc(req.verdict)}: ${esc(req.reason)}</p>` : '',
    req.tests.length ? `<h4>Tests</h4><ul class="tests">${req.tests.map(testHtml).join('')}</ul>` : '',
    model.defectLinks?.get(req.id)?.length
      ? `<h4>Planted defects its checks caught (npm run selftest)</h4><p class="defects">${model.defectLinks.get(req.id)!.map((d) => `<code>${esc(d)}</code>`).join(', ')}</p>`
      : '',
    excerpts.length
      ? `<h4>Spec text</h4>${excerpts
          .map((e) => `<blockquote><cite>${esc(e.file)}:${e.line}</cite><pre class="spec">${esc(e.text)}</pre></blockquote>`)
          .join('')}`
      : '',
    '</div>',
  ].join('');
  return [
    `<tr class="req v-${slug(req.verdict)}" id="${esc(req.id)}" data-verdict="${esc(req.verdict)}" data-area="${esc(req.area)}" data-level="${esc(req.level)}">`,
    `<td class="id"><a href="#${esc(req.id)}">${esc(req.id)}</a></td>`,
    `<td>${esc(req.level)}</td>`,
    `<td>${esc(req.area)}</td>`,
    `<td><span class="badge ${slug(req.verdict)}">${esc(VERDICT_LABEL[req.verdict])}</span></td>`,
    `<td class="num">${req.tests.length ? ranCount(req.tests) : '—'}</td>`,
    `<td><details><summary>${esc(req.requirement)}</summary>${detail}</details></td>`,
    '</tr>',
  ].join('');
}

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d1d9e0;--ok:#1a7f37;--bad:#cf222e;--unk:#9a6700;--off:#6e7781;--card:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--ok:#3fb950;--bad:#f85149;--unk:#d29922;--off:#9198a1;--card:#151b23}}
*{box-sizing:border-box}body{margin:0;padding:1.5rem;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
h1{font-size:1.5rem;margin:0 0 .5rem}h4{margin:.75rem 0 .25rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0 0 1rem;color:var(--muted)}dl.meta dt{font-weight:600}dl.meta dd{margin:0}
.totals{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem}.totals button{font:inherit;border:1px solid var(--line);background:var(--card);color:var(--fg);border-radius:6px;padding:.4rem .8rem;cursor:pointer}
.totals button strong{font-size:1.2rem;margin-right:.3rem}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:0 0 .75rem}.filters select,.filters input{font:inherit;padding:.2rem .4rem}
#shown{color:var(--muted)}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{position:sticky;top:0;background:var(--bg)}td.id{white-space:nowrap;font-family:ui-monospace,monospace}td.num{text-align:right;white-space:nowrap}
summary{cursor:pointer}.detail{margin:.5rem 0 .25rem 1rem}.src,.reason{color:var(--muted);margin:.25rem 0}
.badge{white-space:nowrap;font-weight:600}.badge.verified,.badge.pass{color:var(--ok)}.badge.failed,.badge.fail{color:var(--bad)}.badge.unknown{color:var(--unk)}
.badge.not-run,.badge.not-tested,.badge.skipped{color:var(--off)}
ul.tests{padding-left:1rem}li.test{margin:.3rem 0}.failure{border-left:3px solid var(--bad);padding:.25rem .5rem;margin:.25rem 0}.t-unknown .failure{border-color:var(--unk)}
pre{white-space:pre-wrap;word-break:break-word;background:var(--card);padding:.4rem;border-radius:4px;margin:.25rem 0;max-height:24rem;overflow:auto}
blockquote{margin:.25rem 0;border-left:3px solid var(--line);padding-left:.5rem}cite{color:var(--muted);font-style:normal}
.dur,.mt,.hash{color:var(--muted)}ul.evidence{padding-left:1rem}.label{font-weight:600}
@media print{.filters,.totals{display:none}details>*{display:block}}
`;

const JS = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.req'));
  var verdict = document.getElementById('f-verdict');
  var area = document.getElementById('f-area');
  var level = document.getElementById('f-level');
  var text = document.getElementById('f-text');
  var shown = document.getElementById('shown');
  function apply() {
    var q = text.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!verdict.value || r.dataset.verdict === verdict.value) &&
        (!area.value || r.dataset.area === area.value) &&
        (!level.value || r.dataset.level === level.value) &&
        (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
      r.hidden = !ok;
      if (ok) n += 1;
    });
    shown.textContent = n + ' of ' + rows.length + ' requirements shown';
  }
  [verdict, area, level, text].forEach(function (el) { el.addEventListener('input', apply); el.addEventListener('change', apply); });
  Array.prototype.forEach.call(document.querySelectorAll('[data-set-verdict]'), function (b) {
    b.addEventListener('click', function () { verdict.value = b.getAttribute('data-set-verdict'); apply(); });
  });
  function openHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var row = id && document.getElementById(id);
    if (row) { var d = row.querySelector('details'); if (d) d.open = true; }
  }
  window.addEventListener('hashchange', openHash);
  openHash();
  apply();
})();
`;

/** Renders the HTML report. */
export function renderHtml(model: ReportModel): string {
  const { run } = model.results;
  const t = model.traceability;
  const tests = countTests(model.results.tests);
  const areas = [...new Set(t.requirements.map((r) => r.area))];
  const bad = t.requirements.filter((r) => r.verdict === 'failed' || r.verdict === 'unknown');
  // Failures first, then the matrix order, as in the Markdown report.
  const ordered = [...bad, ...t.requirements.filter((r) => !bad.includes(r))];
  const meta: [string, string][] = [
    ['Target', `${run.target.name} (${[run.target.kind, run.target.baseUrl, run.target.version].filter(Boolean).join(', ')})`],
    ['Suite', `${run.tool.name} ${run.tool.version}`],
    ['Commit', run.gitCommit ?? 'unknown'],
    ['Seed', run.seed ?? 'none'],
    ['Run', `${run.startedAt} → ${run.finishedAt} (${run.producer})`],
    ['Tests', `${tests.tests}: ${tests.pass} passed, ${tests.fail} failed, ${tests.unknown} unknown, ${tests.skipped} skipped`],
    ['Generated', model.generatedAt],
  ];
  const counts: Record<string, number> = {
    failed: t.totals.failed,
    unknown: t.totals.unknown,
    'not run': t.totals.notRun,
    'not tested': t.totals.notTested,
    verified: t.totals.verified,
  };
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    `<title>syncproof traceability: ${esc(run.target.name)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>syncproof traceability report</h1>',
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`,
    '</header>',
    '<main>',
    `<section class="totals" aria-label="Requirement totals">${REQUIREMENT_VERDICTS.map(
      (v) => `<button type="button" data-set-verdict="${esc(v)}"><strong>${counts[v] ?? 0}</strong>${esc(VERDICT_LABEL[v])}</button>`,
    ).join('')}<button type="button" data-set-verdict=""><strong>${t.totals.requirements}</strong>all</button></section>`,
    '<div class="filters">',
    `<label>Verdict <select id="f-verdict"><option value="">all</option>${REQUIREMENT_VERDICTS.map(
      (v) => `<option value="${esc(v)}">${esc(v)}</option>`,
    ).join('')}</select></label>`,
    `<label>Area <select id="f-area"><option value="">all</option>${areas.map((a) => `<option value="${esc(a)}">${esc(a)}</option>`).join('')}</select></label>`,
    '<label>Level <select id="f-level"><option value="">all</option><option>MUST</option><option>SHOULD</option><option>MAY</option></select></label>',
    '<label>Search <input id="f-text" type="search" placeholder="ID, text or test id"></label>',
    `<span id="shown" aria-live="polite">${t.requirements.length} of ${t.requirements.length} requirements shown</span>`,
    '</div>',
    '<table id="requirements">',
    '<thead><tr><th>ID</th><th>Level</th><th>Area</th><th>Verdict</th><th>Tests ran</th><th>Requirement</th></tr></thead>',
    `<tbody>${ordered.map((r) => requirementRow(r, model)).join('\n')}</tbody>`,
    '</table>',
    t.unknownCitations.length
      ? `<h2>Tests citing unknown requirement IDs</h2><ul>${t.unknownCitations
          .map((c) => `<li><code>${esc(c.testId)}</code> cites <code>${esc(c.requirementId)}</code></li>`)
          .join('')}</ul>`
      : '',
    '</main>',
    `<script>${JS}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
