/**
 * Opens the HTML report in real headless Chromium (Debian `chromium` + playwright-core) and checks
 * that the table renders, the filters work, rows expand, and the page logs no errors and makes no
 * network request. Without /usr/bin/chromium the test fails and says how to install it.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtml } from '../../src/report/render-html.js';
import { fixtureModel } from './fixture-model.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('traceability.html in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const consoleProblems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: install Debian package 'chromium' (apt-get update && apt-get install -y chromium); .ci/run installs it`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'html-report-'));
    const file = join(dir, 'traceability.html');
    writeFileSync(file, renderHtml(fixtureModel()));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const visibleIds = () =>
    page.$$eval('tr.req', (rows) => rows.filter((r) => !(r as unknown as { hidden: boolean }).hidden).map((r) => r.id));

  test('the table renders every requirement, failures first', async () => {
    expect(await page.locator('tr.req').count()).toBe(9);
    expect((await visibleIds()).slice(0, 2)).toEqual(['OFS-IDEM-007', 'OFS-EVT-001']);
    expect(await page.locator('#shown').textContent()).toBe('9 of 9 requirements shown');
    expect(await page.locator('#OFS-IDEM-007 .badge').first().textContent()).toContain('failed');
  });

  test('the verdict filter shows only matching rows', async () => {
    await page.selectOption('#f-verdict', 'failed');
    expect(await visibleIds()).toEqual(['OFS-IDEM-007']);
    expect(await page.locator('#shown').textContent()).toBe('1 of 9 requirements shown');
    await page.selectOption('#f-verdict', 'not tested');
    expect(await visibleIds()).toEqual(['OFS-STORE-005', 'OFS-IDEM-001']);
    await page.selectOption('#f-verdict', '');
    expect(await visibleIds()).toHaveLength(9);
  });

  test('the area filter and the totals buttons filter too', async () => {
    await page.selectOption('#f-area', 'IDEM');
    expect(await visibleIds()).toEqual(['OFS-IDEM-007', 'OFS-IDEM-002', 'OFS-IDEM-005', 'OFS-IDEM-001']);
    await page.click('button[data-set-verdict="verified"]');
    expect(await visibleIds()).toEqual(['OFS-IDEM-002', 'OFS-IDEM-005']);
    await page.selectOption('#f-area', '');
    await page.click('button[data-set-verdict=""]');
    expect(await visibleIds()).toHaveLength(9);
  });

  test('a requirement expands to its tests, evidence and spec text', async () => {
    const details = page.locator('#OFS-IDEM-002 details').first();
    expect(await details.locator('.detail').isVisible()).toBe(false);
    await details.locator('summary').click();
    expect(await details.locator('.detail').isVisible()).toBe(true);
    const text = await details.locator('.detail').innerText();
    expect(text).toContain('idem.duplicate-replays');
    expect(text).toContain('exchange');
    expect(text).toContain('specs/offline-first/SPEC.md:5');
  });

  test('no console errors and no request beyond the file itself', () => {
    expect(consoleProblems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
  });
});
