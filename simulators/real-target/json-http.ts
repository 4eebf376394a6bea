/**
 * JSON over an undici dispatcher, relative to a base URL (a path prefix is kept). Answers are
 * plain data — status, parsed body — and transport failures reject, so callers tell "the server
 * said no" from "no answer" (which the fault interceptors produce on purpose).
 */
import type { Dispatcher } from 'undici';

/** Where requests go. */
export interface Endpoint {
  /** `http(s)://host:port` (ignored by a target dispatcher). */
  readonly origin: string;
  /** Path prefix of the base URL, without a trailing slash. */
  readonly prefix: string;
  /** Headers sent with every request (e.g. a gateway key). */
  readonly headers: Readonly<Record<string, string>>;
  /** Time to wait for headers, then for the body, real ms. */
  readonly timeoutMs: number;
}

/** One answer. */
export interface JsonAnswer {
  readonly status: number;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  readonly body: unknown;
  readonly rawBody: string;
}

/** The endpoint of a base URL. */
export function endpointOf(baseUrl: string, headers: Readonly<Record<string, string>> = {}, timeoutMs = 5_000): Endpoint {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`base URL must be http or https, got '${url.protocol}'`);
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, ''), headers, timeoutMs };
}

/** Sends one JSON request with a bearer token. */
export async function jsonRequest(
  dispatcher: Dispatcher,
  endpoint: Endpoint,
  req: { readonly method: 'GET' | 'POST'; readonly path: string; readonly token: string; readonly body?: unknown },
): Promise<JsonAnswer> {
  const headers: Record<string, string> = {
    ...lower(endpoint.headers),
    authorization: `Bearer ${req.token}`,
    accept: 'application/json, application/problem+json',
  };
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await dispatcher.request({
    origin: endpoint.origin,
    path: `${endpoint.prefix}${req.path}`,
    method: req.method,
    headers,
    headersTimeout: endpoint.timeoutMs,
    bodyTimeout: endpoint.timeoutMs,
    ...(body === undefined ? {} : { body }),
  });
  const rawBody = await res.body.text();
  let parsed: unknown;
  try {
    parsed = rawBody.length > 0 ? (JSON.parse(rawBody) as unknown) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, body: parsed, rawBody };
}

function lower(h: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/** A transport failure's code (`ECONNREFUSED`, `UND_ERR_…`, `SIM_E_…`) or its message. */
export function failureReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.length > 0) return code;
  return err instanceof Error ? err.message : String(err);
}
