import { describe, expect, test } from 'vitest';
import { renderHtml } from '../../src/report/render-html.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { fixtureModel } from './fixture-model.js';

describe('self-test links in the reports', () => {
  test('without a self-test summary the reports have no defect column', () => {
    const model = fixtureModel();
    expect(renderMarkdown(model)).not.toContain('Caught defects');
    expect(renderHtml(model)).not.toContain('Planted defects');
  });

  test('with one, each requirement lists the planted defects its checks caught', () => {
    const base = fixtureModel();
    const id = base.traceability.requirements[0]!.id;
    const model = { ...base, defectLinks: new Map([[id, ['lost-update', 'if-match-ignored']]]) };
    const md = renderMarkdown(model);
    expect(md).toContain('| ID | Level | Verdict | Tests (ran) | Caught defects | Requirement |');
    expect(md).toMatch(new RegExp(`^\\| ${id} \\|.*\\| \`lost-update\`, \`if-match-ignored\` \\|`, 'm'));
    expect(md).toContain('**Self-test:** 1 requirements have checks proven to catch 2 planted defects');
    expect(renderHtml(model)).toContain('<code>lost-update</code>, <code>if-match-ignored</code>');
  });
});
