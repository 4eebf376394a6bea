/**
 * The only request media types the server reads: `application/json` (and JSON merge patch for
 * PATCH), UTF-8. Everything else is 415 before a handler runs; bodies over the limit are 413 before
 * they are buffered in full; the text goes through the strict parser (malformed JSON, duplicate
 * member names, runaway nesting → 400).
 */
import type { FastifyInstance } from 'fastify';
import { ProblemError } from './problem.js';
import { parseStrictJson } from './strict-json.js';

/** Default body limit (TR §12): 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/** Replaces Fastify's parsers with the strict JSON one. */
export function installJsonBodyParser(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/merge-patch+json'],
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
        done(ProblemError.of('unsupported-media-type', `charset ${charset} is not supported; send UTF-8 JSON`), undefined);
        return;
      }
      try {
        done(null, parseStrictJson(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
}

/** A handler's JSON body; a missing body is malformed JSON, a non-object where one is needed is 400. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) throw ProblemError.of('malformed-json', 'request body is missing');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ProblemError.of('validation-failed', 'request body must be a JSON object', {
      errors: [{ pointer: '', detail: 'must be object' }],
    });
  }
  return body as Record<string, unknown>;
}
