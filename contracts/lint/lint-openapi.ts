/**
 * Runs the offline-module Spectral ruleset on an OpenAPI file and returns findings in a stable,
 * human-readable form: each names its severity, rule, and the operation (`POST /v1/...`) or JSON
 * path it is about. Used by `syncproof lint` and by `contracts:check`.
 */
import { readFileSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import ruleset from './offline-module.ruleset.js';

// spectral-core is CommonJS; its named exports are reached through the default export under NodeNext.
const { Spectral, Document } = spectralCore;
const { Json: JsonParser, Yaml: YamlParser } = spectralParsers;

/** Spectral severities (0..3) by name. */
const SEVERITY = ['error', 'warn', 'info', 'hint'] as const;

/** One lint finding. */
export interface LintFinding {
  readonly severity: (typeof SEVERITY)[number];
  readonly rule: string;
  /** `METHOD /path` for findings inside an operation, otherwise a JSON path (`$.components...`), prefixed by the file if it is not the linted one. */
  readonly location: string;
  readonly message: string;
}

/** The file cannot be read or parsed as an OpenAPI document (a usage problem, not a finding). */
export class LintInputError extends Error {
  override name = 'LintInputError';
  readonly code = 'lint-input';
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function jsonPath(path: readonly (string | number)[]): string {
  return `$${path.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('')}`;
}

/** `METHOD /path` when the path points into an operation, else the JSON path. */
export function describeLocation(path: readonly (string | number)[]): string {
  if (path[0] === 'paths' && typeof path[1] === 'string') {
    const method = path[2];
    if (typeof method === 'string' && HTTP_METHODS.has(method)) return `${method.toUpperCase()} ${path[1]}`;
    return `${path[1]} ${jsonPath(path.slice(2))}`.trim();
  }
  return jsonPath(path);
}

/** Renders a finding as one line: `<severity> <rule> <location>: <message>`. */
export function formatFinding(f: LintFinding): string {
  return `${f.severity} ${f.rule} ${f.location}: ${f.message}`;
}

/** Lints an OpenAPI file; throws {@link LintInputError} if it is missing, unreadable or not OpenAPI. */
export async function lintOpenApi(file: string): Promise<LintFinding[]> {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new LintInputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const document = extname(abs).toLowerCase() === '.json' ? new Document(text, JsonParser, abs) : new Document(text, YamlParser, abs);
  const parseError = document.diagnostics.find((d) => d.severity === 0);
  if (parseError) {
    throw new LintInputError(`cannot parse ${file}: ${parseError.message} (line ${parseError.range.start.line + 1})`);
  }
  const data = document.data as Record<string, unknown> | undefined;
  if (typeof data !== 'object' || data === null || typeof (data.openapi ?? data.swagger) !== 'string') {
    throw new LintInputError(`${file} is not an OpenAPI document (no 'openapi' version field)`);
  }
  const spectral = new Spectral();
  spectral.setRuleset(ruleset);
  const results = await spectral.run(document);
  const findings = results.map((r): LintFinding => {
    const inOtherFile = r.source !== undefined && r.source !== null && resolve(r.source) !== abs;
    const location = describeLocation(r.path);
    return {
      severity: SEVERITY[r.severity] ?? 'error',
      rule: String(r.code),
      location: inOtherFile ? `${relative(process.cwd(), r.source!)}#${location}` : location,
      message: r.message,
    };
  });
  return findings.sort((a, b) => SEVERITY.indexOf(a.severity) - SEVERITY.indexOf(b.severity) || a.location.localeCompare(b.location) || a.rule.localeCompare(b.rule));
}
