/**
 * The most mutations one push may carry, read from the contract itself (PushRequest's
 * `mutations.maxItems`, TR §12) so the reference server and the conformance check enforce and
 * expect the number the contract states, not copies of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR } from './schema-registry.js';

function readLimit(): number {
  const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'push-request.schema.json'), 'utf8')) as {
    properties?: { mutations?: { maxItems?: unknown } };
  };
  const limit = schema.properties?.mutations?.maxItems;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new Error('contracts/schemas/push-request.schema.json: mutations.maxItems must be a positive integer');
  }
  return limit;
}

/** PushRequest `mutations.maxItems` (500 in this contract). */
export const PUSH_BATCH_LIMIT: number = readLimit();
