/**
 * A {@link Target} over HTTP: an undici `Pool` to the profile's base URL. Any server, any language.
 * Connection errors reject (the check turns them into `unknown`); HTTP errors are ordinary responses.
 */
import { Pool } from 'undici';
import type { Target, TargetRequest, TargetResponse } from './target.js';

/** Options of {@link createHttpTarget}. */
export interface HttpTargetOptions {
  /** Base URL, e.g. `http://127.0.0.1:8080` or `https://staging.example/api` (a path prefix is kept). */
  readonly baseUrl: string;
  /** Name in reports (default the base URL). */
  readonly name?: string;
  /** Headers sent with every request (e.g. a gateway key); request headers win. */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  /** Upper bound on concurrent connections. @defaultValue 16 */
  readonly connections?: number;
  /** Time to wait for response headers, then for the body, in ms. @defaultValue 30000 */
  readonly timeoutMs?: number;
}

/** Lower-cases header names and joins repeated values with `, ` (RFC 9110 §5.3). */
export function normaliseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Parses a body as JSON when it looks like JSON; `undefined` otherwise. */
export function parseJsonBody(rawBody: string): unknown {
  if (rawBody.length === 0) return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    return undefined;
  }
}

/** Creates an HTTP target. Call `close()` to release its connections. */
export function createHttpTarget(options: HttpTargetOptions): Target {
  const url = new URL(options.baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`base URL must be http or https, got '${url.protocol}'`);
  }
  const prefix = url.pathname.replace(/\/+$/, '');
  const timeout = options.timeoutMs ?? 30_000;
  const pool = new Pool(url.origin, {
    connections: options.connections ?? 16,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  return {
    name: options.name ?? options.baseUrl,
    async request(req: TargetRequest): Promise<TargetResponse> {
      const headers: Record<string, string> = { ...lower(options.defaultHeaders ?? {}), ...lower(req.headers ?? {}) };
      let body: string | undefined;
      if (req.rawBody !== undefined) {
        body = req.rawBody;
      } else if (req.body !== undefined) {
        body = JSON.stringify(req.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await pool.request({
        method: req.method.toUpperCase() as 'GET',
        path: `${prefix}${req.path}`,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const rawBody = await res.body.text();
      return {
        status: res.statusCode,
        headers: normaliseHeaders(res.headers as Record<string, string | string[] | undefined>),
        body: parseJsonBody(rawBody),
        rawBody,
      };
    },
    async close() {
      await pool.close();
    },
  };
}

function lower(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
