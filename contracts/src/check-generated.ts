/**
 * Staleness check of the generated artefacts: regenerates `contracts/generated/sync-api.ts` and
 * `sync-api.bundled.yaml` in memory and compares them with the files on disk, so a contract change without `npm run contracts:generate`
 * (or a hand edit of the generated file) fails.
 */
import { readFileSync } from 'node:fs';
import { OPENAPI_PATH } from './bundle-openapi.js';
import { generateBundle, generateTypes, GENERATED_BUNDLE_PATH, GENERATED_TYPES_PATH } from './generate-types.js';

/** Result of {@link checkGenerated}. */
export interface GeneratedCheck {
  readonly ok: boolean;
  /** Why it failed (first differing line), empty when ok. */
  readonly reason: string;
}

/** Compares the generated types file with a fresh generation from the OpenAPI file. */
export async function checkGenerated(openapiFile: string = OPENAPI_PATH, generatedFile: string = GENERATED_TYPES_PATH): Promise<GeneratedCheck> {
  return compare(generatedFile, await generateTypes(openapiFile));
}

/** Compares the bundled OpenAPI file with a fresh bundle of the OpenAPI file. */
export function checkBundle(openapiFile: string = OPENAPI_PATH, bundleFile: string = GENERATED_BUNDLE_PATH): GeneratedCheck {
  return compare(bundleFile, generateBundle(openapiFile));
}

function compare(generatedFile: string, fresh: string): GeneratedCheck {
  let onDisk: string;
  try {
    onDisk = readFileSync(generatedFile, 'utf8');
  } catch {
    return { ok: false, reason: `${generatedFile} is missing; run npm run contracts:generate` };
  }
  if (fresh === onDisk) return { ok: true, reason: '' };
  const a = onDisk.split('\n');
  const b = fresh.split('\n');
  let line = 0;
  while (line < Math.max(a.length, b.length) && a[line] === b[line]) line += 1;
  return {
    ok: false,
    reason: `${generatedFile} is stale at line ${line + 1} (on disk: ${JSON.stringify(a[line] ?? '<end>')}, expected: ${JSON.stringify(b[line] ?? '<end>')}); run npm run contracts:generate`,
  };
}
