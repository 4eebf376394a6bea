/**
 * `npm run contracts:generate`: regenerates contracts/generated/sync-api.ts and
 * contracts/generated/sync-api.bundled.yaml from the OpenAPI contract. The output is never edited by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateBundle, generateTypes, GENERATED_BUNDLE_PATH, GENERATED_TYPES_PATH } from '../src/generate-types.js';

const outputs: [string, string][] = [
  [GENERATED_TYPES_PATH, await generateTypes()],
  [GENERATED_BUNDLE_PATH, generateBundle()],
];
for (const [path, text] of outputs) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  process.stdout.write(`wrote ${path} (${text.length} characters)\n`);
}
