import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderJunit } from '../../src/report/render-junit.js';
import { FIXTURES, fixtureModel } from './fixture-model.js';

const XSD = `${FIXTURES}schemas/junit-10.xsd`;

function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Validates `xml` against `xsd` with libxml2's xmllint; returns its stderr on failure. */
function xmllint(xml: string, xsd: string): { ok: boolean; output: string } {
  if (!hasXmllint()) {
    throw new Error('xmllint not found: install Debian package libxml2-utils (apt-get install -y libxml2-utils); .ci/run installs it');
  }
  const dir = mkdtempSync(join(tmpdir(), 'junit-'));
  const file = join(dir, 'junit.xml');
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--schema', xsd, file], { stdio: 'pipe' });
    return { ok: true, output: '' };
  } catch (err) {
    return { ok: false, output: String((err as { stderr?: Buffer }).stderr ?? err) };
  }
}

/**
 * junit-10.xsd has no testcase-level <properties>; we add exactly that one extension (the Xray /
 * Jenkins JUnit convention we follow, see fixtures/schemas/README.md) and nothing else.
 */
function xsdWithTestcaseProperties(): string {
  const pristine = readFileSync(XSD, 'utf8');
  const anchor = '<xs:choice minOccurs="0" maxOccurs="unbounded">\n                    <xs:element ref="skipped"/>';
  if (!pristine.includes(anchor)) throw new Error('junit-10.xsd changed: testcase choice not found');
  const extended = pristine.replace(anchor, anchor.replace('<xs:element ref="skipped"/>', '<xs:element ref="properties"/>\n                    <xs:element ref="skipped"/>'));
  const dir = mkdtempSync(join(tmpdir(), 'xsd-'));
  writeFileSync(join(dir, 'junit-10-testcase-properties.xsd'), extended);
  return join(dir, 'junit-10-testcase-properties.xsd');
}

describe('junit.xml', () => {
  const xml = renderJunit(fixtureModel().results);

  test('matches the golden file', async () => {
    await expect(xml).toMatchFileSnapshot('../fixtures/golden/junit.xml');
  });

  test('is valid against the Jenkins junit-10.xsd once testcase properties are set aside', () => {
    const withoutCaseProps = xml.replace(/\n {6}<properties>.*<\/properties>/g, '');
    expect(withoutCaseProps).not.toContain('syncproof.testId');
    const res = xmllint(withoutCaseProps, XSD);
    expect(res.output).toBe('');
    expect(res.ok).toBe(true);
  });

  test('is valid as a whole against junit-10.xsd plus testcase properties', () => {
    const res = xmllint(xml, xsdWithTestcaseProperties());
    expect(res.output).toBe('');
    expect(res.ok).toBe(true);
  });

  test('the schema check can fail: a testcase without its required name is refused', () => {
    const broken = xml.replace(/<testcase name="[^"]*"/, '<testcase');
    expect(xmllint(broken, xsdWithTestcaseProperties()).ok).toBe(false);
  });

  test('one testcase per test, requirement IDs as properties, verdicts mapped', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(fixtureModel().results.tests.length);
    expect(xml).toContain('<property name="requirements" value="OFS-IDEM-002,OFS-IDEM-005"/>');
    expect(xml).toContain(`<failure type="assertion" message="expected outcome status 'rejected' | got 'applied'">`);
    expect(xml).toContain('<error type="service-unavailable"');
    expect(xml).toContain('<skipped message="profile: module has no REST writes"/>');
    expect(xml).toContain('<testsuites name="syncproof: reference (embedded)" tests="7" failures="1" errors="1"');
  });
});
