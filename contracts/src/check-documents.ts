/**
 * Validates the two contract documents with the field's own parsers: the OpenAPI 3.1 document with
 * `@readme/openapi-parser` (structure plus every `$ref`, including the schema files) and the
 * AsyncAPI 3.0 document with `@asyncapi/parser` (error-severity diagnostics fail).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileErrors, validate } from '@readme/openapi-parser';
import { Parser, fromFile } from '@asyncapi/parser';
import { OPENAPI_PATH } from './bundle-openapi.js';
import { SCHEMA_ID_BASE, SCHEMAS_DIR } from './schema-registry.js';

/** Default location of the AsyncAPI document. */
export const ASYNCAPI_PATH = fileURLToPath(new URL('../asyncapi/sync-events.yaml', import.meta.url));

/** Outcome of one document check. */
export interface DocumentCheck {
  readonly ok: boolean;
  /** One line per problem; empty when ok. */
  readonly problems: readonly string[];
}

/** Validates an OpenAPI file (path, so relative `$ref`s resolve against it). */
export async function checkOpenApiDocument(file: string = OPENAPI_PATH): Promise<DocumentCheck> {
  try {
    readFileSync(file);
  } catch (err) {
    return { ok: false, problems: [`cannot read ${file}: ${(err as Error).message}`] };
  }
  try {
    // The parser honours `$id`, so a relative `$ref` inside a schema file resolves to
    // https://syncproof.dev/schemas/<file>. One file resolver serves those URLs from the local
    // schema folder and everything else from disk: the check validates these files, offline.
    const fileResolver = {
      order: 1,
      canRead: (f: { url: string }) => f.url.startsWith(SCHEMA_ID_BASE) || !/^https?:/i.test(f.url),
      read: (f: { url: string }) => {
        const url = f.url.split('#')[0]!;
        if (url.startsWith(SCHEMA_ID_BASE)) return readFileSync(join(SCHEMAS_DIR, url.slice(SCHEMA_ID_BASE.length)), 'utf8');
        return readFileSync(url.startsWith('file:') ? fileURLToPath(url) : decodeURI(url), 'utf8');
      },
    };
    const options = { resolve: { file: fileResolver } } as unknown as Parameters<typeof validate>[1];
    const result = await validate(file, options);
    if (result.valid) return { ok: true, problems: [] };
    return { ok: false, problems: compileErrors(result).split('\n').filter((l) => l.trim().length > 0) };
  } catch (err) {
    return { ok: false, problems: [(err as Error).message] };
  }
}

/** Parses an AsyncAPI file; any error-severity diagnostic (or no document) fails. */
export async function checkAsyncApiDocument(file: string = ASYNCAPI_PATH): Promise<DocumentCheck> {
  const parser = new Parser();
  try {
    const { document, diagnostics } = await fromFile(parser, file).parse();
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code} ${d.path.join('.') || '$'}: ${d.message}`);
    if (!document && errors.length === 0) errors.push('the parser produced no document');
    return { ok: errors.length === 0, problems: errors };
  } catch (err) {
    return { ok: false, problems: [(err as Error).message] };
  }
}
