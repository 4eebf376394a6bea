import { describe, expect, test } from 'vitest';
import { renderHtml, esc } from '../../src/report/render-html.js';
import { fixtureModel } from './fixture-model.js';

describe('traceability.html', () => {
  const html = renderHtml(fixtureModel());

  test('matches the golden file', async () => {
    await expect(html).toMatchFileSnapshot('../fixtures/golden/traceability.html');
  });

  test('is self-contained: no external URL is loaded, and a CSP forbids any fetch', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/(src|href|action|srcset)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
  });

  test('escapes test-controlled text', () => {
    expect(html).toContain('rejected &lt;b&gt;not cached&lt;/b&gt;');
    expect(html).not.toContain('<b>not cached</b>');
    expect(esc(`"'<&>`)).toBe('&quot;&#39;&lt;&amp;&gt;');
  });

  test('each requirement row carries its tests, evidence and spec text', () => {
    const row = html.slice(html.indexOf('id="OFS-IDEM-002"'), html.indexOf('</tr>', html.indexOf('id="OFS-IDEM-002"')));
    expect(row).toContain('idem.duplicate-replays');
    expect(row).toContain('exchange');
    expect(row).toContain('specs/offline-first/SPEC.md:5');
  });
});
