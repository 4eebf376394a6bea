/**
 * A conformance {@link Target} over a built app's `inject()`: the whole HTTP stack (parsing,
 * auth, validation, problem mapping) without a socket, so the suite can run in-process.
 */
import type { FastifyInstance } from 'fastify';
import type { Target, TargetRequest, TargetResponse } from '../../../conformance/src/target/target.js';

function parse(raw: string, contentType: string): unknown {
  if (raw === '' || !/json/i.test(contentType)) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Wraps `app` as a Target. `close()` closes the app (not its store). */
export function createInjectTarget(app: FastifyInstance, name = 'reference (in-process)'): Target {
  return {
    name,
    async request(req: TargetRequest): Promise<TargetResponse> {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
      let payload: string | undefined;
      if (req.rawBody !== undefined) payload = req.rawBody;
      else if (req.body !== undefined) {
        payload = JSON.stringify(req.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.inject({
        method: req.method.toUpperCase() as 'GET',
        url: req.path,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      const outHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) outHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      return { status: res.statusCode, headers: outHeaders, body: parse(res.body, outHeaders['content-type'] ?? ''), rawBody: res.body };
    },
    async close() {
      await app.close();
    },
  };
}
