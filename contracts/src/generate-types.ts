/**
 * Produces the generated artefacts of the OpenAPI contract: `contracts/generated/sync-api.ts`
 * (openapi-typescript) and `contracts/generated/sync-api.bundled.yaml` (one self-contained
 * document). The same functions feed the generator script and the staleness check, so
 * "regenerate and diff" compares against exactly what the generator would write.
 *
 * Why a bundle: Prism 5.14.2 loads the source document with its file `$ref`s and validates
 * requests, but silently skips response validation for schemas reached through those files (it
 * reported no violation for a wrong push response). On the bundle it reports them, so `prism mock`
 * and `prism proxy` must be given the bundle.
 */
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { stringify } from 'yaml';
import type { OpenAPI3 } from 'openapi-typescript';
import { bundleOpenApi, OPENAPI_PATH } from './bundle-openapi.js';

/** Where the self-contained OpenAPI bundle lives (use this one with Prism). */
export const GENERATED_BUNDLE_PATH = fileURLToPath(new URL('../generated/sync-api.bundled.yaml', import.meta.url));

/** Where the generated types live. */
export const GENERATED_TYPES_PATH = fileURLToPath(new URL('../generated/sync-api.ts', import.meta.url));

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Generates the TypeScript types for an OpenAPI file; resolves to the complete file text. */
export async function generateTypes(openapiFile: string = OPENAPI_PATH): Promise<string> {
  const doc = bundleOpenApi(openapiFile, { stripConditionals: true });
  // emptyObjectsUnknown: open objects (payload, state) become Record<string, unknown>, not Record<string, never>.
  const ast = await openapiTS(doc as unknown as OpenAPI3, { emptyObjectsUnknown: true, alphabetize: false });
  const source = relative(REPO_ROOT, openapiFile).split('\\').join('/');
  const header = [
    '/**',
    ` * GENERATED FILE — DO NOT EDIT. Types of ${source} produced by openapi-typescript.`,
    ' * Regenerate with `npm run contracts:generate`; `npm run contracts:check` fails when this file is stale.',
    ' */',
    '',
  ].join('\n');
  return `${header}${astToString(ast)}`;
}

/** Generates the self-contained OpenAPI bundle (YAML text, with a do-not-edit header). */
export function generateBundle(openapiFile: string = OPENAPI_PATH): string {
  const source = relative(REPO_ROOT, openapiFile).split('\\').join('/');
  const header = [
    `# GENERATED FILE — DO NOT EDIT. Self-contained bundle of ${source} and contracts/schemas/*.schema.json.`,
    '# Regenerate with `npm run contracts:generate`. Give this file (not the source) to Prism: it validates',
    '# responses only for schemas inside the document.',
    '',
  ].join('\n');
  return `${header}${stringify(bundleOpenApi(openapiFile), { lineWidth: 0 })}`;
}
