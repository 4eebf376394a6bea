import { describe, expect, test } from 'vitest';
import { renderMarkdown, mdText } from '../../src/report/render-markdown.js';
import { fixtureModel } from './fixture-model.js';

describe('traceability.md', () => {
  const md = renderMarkdown(fixtureModel());

  test('matches the golden file', async () => {
    await expect(md).toMatchFileSnapshot('../fixtures/golden/traceability.md');
  });

  test('puts totals first, then failures, then the full table', () => {
    const totals = md.indexOf('| Requirements | MUST |');
    const failures = md.indexOf('## Failed and inconclusive requirements (2)');
    const table = md.indexOf('## All requirements');
    expect(totals).toBeGreaterThan(0);
    expect(failures).toBeGreaterThan(totals);
    expect(table).toBeGreaterThan(failures);
    // failed before unknown
    expect(md.indexOf('❌ failed: OFS-IDEM-007')).toBeLessThan(md.indexOf('❓ unknown: OFS-EVT-001'));
  });

  test('fits a GitHub step summary (well under 1 MiB) and escapes table-breaking text', () => {
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
    expect(mdText('a | b\nc <b>')).toBe('a \\| b c &lt;b&gt;');
    for (const line of md.split('\n').filter((l) => l.startsWith('| OFS-'))) {
      expect(line.split(/(?<!\\)\|/)).toHaveLength(7);
    }
  });
});
