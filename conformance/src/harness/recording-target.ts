/**
 * Wraps a {@link Target} so a check keeps the exchanges it made (evidence for its failures), sees
 * Prism's `sl-violations` header, and turns transport errors into `unknown` instead of `fail`.
 */
import type { ExchangeEvidence } from '../failures.js';
import { InconclusiveError } from '../failures.js';
import type { Target, TargetRequest, TargetResponse } from '../target/target.js';

/** One contract violation Prism reported for a response (or request). */
export interface ContractViolation {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly location: readonly string[];
  readonly code: string;
  readonly message: string;
}

/** A target that remembers. */
export interface RecordingTarget extends Target {
  readonly exchanges: readonly ExchangeEvidence[];
  readonly violations: readonly ContractViolation[];
}

/** Options of {@link recordingTarget}. */
export interface RecordingOptions {
  /** Field names whose values are PHI; masked in evidence unless `recordPhi`. */
  readonly phiFields?: readonly string[];
  readonly recordPhi?: boolean;
  /** Keep at most this many exchanges. @defaultValue 50 */
  readonly keep?: number;
}

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'x-api-key']);

function redactHeaders(h: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!h) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? (k.toLowerCase() === 'authorization' ? 'Bearer <redacted>' : '<redacted>') : v;
  }
  return out;
}

/** Masks the values of `fields` anywhere in `value`. */
export function maskFields(value: unknown, fields: ReadonlySet<string>): unknown {
  if (fields.size === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskFields(v, fields));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fields.has(k) && typeof v === 'string' ? '<phi>' : maskFields(v, fields)]),
  );
}

function parseViolations(req: TargetRequest, res: TargetResponse): ContractViolation[] {
  const raw = res.headers['sl-violations'];
  if (!raw) return [];
  try {
    const list = JSON.parse(raw) as { location?: string[]; code?: string | number; message?: string }[];
    return list.map((v) => ({
      method: req.method.toUpperCase(),
      path: req.path,
      status: res.status,
      location: v.location ?? [],
      code: String(v.code ?? ''),
      message: v.message ?? '',
    }));
  } catch {
    return [{ method: req.method, path: req.path, status: res.status, location: [], code: 'unparsed', message: raw.slice(0, 300) }];
  }
}

const TRANSPORT_CODES = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|EPIPE|UND_ERR_)/;

/** Wraps `inner`. `close()` closes `inner` too only when `ownsInner`. */
export function recordingTarget(inner: Target, options: RecordingOptions = {}, ownsInner = false): RecordingTarget {
  const exchanges: ExchangeEvidence[] = [];
  const violations: ContractViolation[] = [];
  const keep = options.keep ?? 50;
  const phi = new Set(options.recordPhi ? [] : (options.phiFields ?? []));
  return {
    name: inner.name,
    exchanges,
    violations,
    async request(req) {
      let res: TargetResponse;
      try {
        res = await inner.request(req);
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (TRANSPORT_CODES.test(code)) {
          throw new InconclusiveError(`target ${inner.name} unreachable (${code}): ${(err as Error).message}`, { environmental: true, cause: err });
        }
        throw err;
      }
      exchanges.push({
        request: {
          method: req.method.toUpperCase(),
          path: req.path,
          ...(req.headers ? { headers: redactHeaders(req.headers) as Record<string, string> } : {}),
          ...(req.rawBody !== undefined ? { body: req.rawBody.length > 2000 ? `${req.rawBody.slice(0, 2000)}…(${req.rawBody.length} bytes)` : req.rawBody } : req.body !== undefined ? { body: maskFields(req.body, phi) } : {}),
        },
        response: {
          status: res.status,
          headers: redactHeaders(res.headers) as Record<string, string>,
          body: res.body !== undefined ? maskFields(res.body, phi) : res.rawBody.slice(0, 2000),
        },
      });
      if (exchanges.length > keep) exchanges.shift();
      violations.push(...parseViolations(req, res));
      return res;
    },
    async close() {
      if (ownsInner) await inner.close();
    },
  };
}
