/**
 * Test harness for route tests: the app over a memory store with the dev issuer, token minting,
 * request helpers and mutation builders.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { createDevIssuer, type DevIssuer } from '../../src/auth/dev-issuer.js';
import type { Store } from '../../src/ports/store.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';

/** A running app with helpers. */
export interface Harness {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly issuer: DevIssuer;
  readonly logs: string[];
  token(tenantId: string, sub: string, roles: string[], ttlSeconds?: number): Promise<string>;
  call(method: string, url: string, opts?: CallOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Options of one call. */
export interface CallOptions {
  readonly token?: string;
  /** JSON value to send. */
  readonly body?: unknown;
  /** Raw body text (malformed JSON, oversize bodies). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

/** Builds the app over a fresh memory store. */
export async function harness(options: Partial<AppOptions> = {}): Promise<Harness> {
  const issuer = await createDevIssuer();
  const store = options.store ?? createMemoryStore();
  const logs: string[] = [];
  const app = await buildApp({ store, devIssuer: issuer, log: (l) => logs.push(l), ...options });
  return {
    app,
    store,
    issuer,
    logs,
    token: (tenantId, sub, roles, ttlSeconds) => issuer.mint({ tenantId, sub, roles, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) }),
    async call(method, url, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers['authorization'] ??= `Bearer ${opts.token}`;
      let payload: string | undefined;
      if (opts.raw !== undefined) payload = opts.raw;
      else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
      if (payload !== undefined) headers['content-type'] ??= 'application/json';
      return app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });
    },
    close: () => app.close(),
  };
}

/** Builds a mutation with sensible defaults. */
export function mutation(over: Record<string, unknown> & { clientSeq: number; actorId: string }): Record<string, unknown> {
  return {
    clientMutationId: randomUUID(),
    aggregate: { type: 'encounter', id: randomUUID() },
    op: 'create',
    baseVersion: 0,
    payload: { patientId: randomUUID(), status: 'planned' },
    capturedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

/** A patient create payload. */
export function patientPayload(mrn: string, given = 'Ada', family = 'Lovelace', birthDate = '1815-12-10'): Record<string, unknown> {
  return { mrn, givenName: given, familyName: family, birthDate };
}

/** Parsed JSON body of a response. */
export function json(res: LightMyRequestResponse): Record<string, unknown> {
  return JSON.parse(res.body) as Record<string, unknown>;
}

/** Asserts the shape every error must have and returns the problem. */
export function problemOf(res: LightMyRequestResponse): { type: string; status: number; detail?: string; errors?: { pointer: string; detail: string }[]; [k: string]: unknown } {
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${String(res.headers['content-type'])}: ${res.body}`);
  }
  const p = json(res) as { type: string; status: number };
  if (p.status !== res.statusCode) throw new Error(`problem status ${p.status} != HTTP ${res.statusCode}`);
  return p;
}

/** `https://syncproof.dev/problems/<name>`. */
export function ptype(name: string): string {
  return `https://syncproof.dev/problems/${name}`;
}
