/**
 * Names of the pact pairs and where their pact files live. The files under contracts/pacts/ are
 * committed: they are the consumer side of the contract that any sync server can be verified
 * against, next to the OpenAPI and AsyncAPI documents.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory the consumer tests write pact files into. */
export const PACT_DIR = fileURLToPath(new URL('../../../contracts/pacts/', import.meta.url));

/** A consumer → provider pair. */
export interface PactPair {
  readonly consumer: string;
  readonly provider: string;
}

/** The offline client's HTTP pact with the sync API. */
export const HTTP_PAIR: PactPair = { consumer: 'syncproof-offline-client', provider: 'syncproof-sync-api' };

/** The event consumer's message pact with the server's event stream. */
export const MESSAGE_PAIR: PactPair = { consumer: 'syncproof-event-consumer', provider: 'syncproof-sync-events' };

/** Path of a pair's pact file in `dir` (Pact names it `<consumer>-<provider>.json`). */
export function pactFile(pair: PactPair, dir: string = PACT_DIR): string {
  return join(dir, `${pair.consumer}-${pair.provider}.json`);
}

/**
 * Deletes the pairs' pact files. Pact merges new interactions into an existing file and never
 * drops stale ones, so a consumer run must start from nothing to write exactly what it declares.
 */
export function removePactFiles(pairs: readonly PactPair[], dir: string = PACT_DIR): void {
  for (const pair of pairs) rmSync(pactFile(pair, dir), { force: true });
}
