/**
 * The offline client's HTTP calls to the sync API (TR §2, §6.6, §7), over undici. It is the code the
 * HTTP consumer pact exercises: requests carry the bearer token and JSON bodies the way the client
 * sends them, and answers are read back into the contract's types.
 */
import { request, type Dispatcher } from 'undici';
import type { components } from '../../../contracts/generated/sync-api.js';
import type { PushRequest } from './client-mutations.js';

type Schemas = components['schemas'];
/** Push answer. */
export type PushResponse = Schemas['PushResponse'];
/** Pull page. */
export type PullResponse = Schemas['PullResponse'];
/** Conflict list. */
export type ConflictList = Schemas['ConflictList'];
/** Body of a resolution. */
export type ConflictResolveRequest = Schemas['ConflictResolveRequest'];
/** Answer of a resolution. */
export type ConflictResolveResponse = Schemas['ConflictResolveResponse'];

/** A non-2xx answer. */
export class SyncApiError extends Error {
  override name = 'SyncApiError';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`sync API answered ${status}`);
  }
}

/** Options of {@link SyncApiClient}. */
export interface SyncApiClientOptions {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:1234`. */
  readonly baseUrl: string;
  /** Returns the bearer token to send. */
  readonly token: () => string | Promise<string>;
  /** Sync module (default `clinic`). */
  readonly module?: string;
  /** Connection pool (default undici's global one). */
  readonly dispatcher?: Dispatcher;
}

/** The client side of the sync API. */
export class SyncApiClient {
  private readonly module: string;

  constructor(private readonly options: SyncApiClientOptions) {
    this.module = options.module ?? 'clinic';
  }

  /** `POST /v1/sync/{module}/push`. */
  push(body: PushRequest): Promise<PushResponse> {
    return this.call<PushResponse>('POST', `/v1/sync/${this.module}/push`, body);
  }

  /** `GET /v1/sync/{module}/pull`. */
  pull(page: { cursor?: string; limit?: number } = {}): Promise<PullResponse> {
    const q = new URLSearchParams();
    if (page.cursor !== undefined) q.set('cursor', page.cursor);
    if (page.limit !== undefined) q.set('limit', String(page.limit));
    const qs = q.toString();
    return this.call<PullResponse>('GET', `/v1/sync/${this.module}/pull${qs ? `?${qs}` : ''}`);
  }

  /** `GET /v1/sync/{module}/conflicts?status=`. */
  conflicts(status: 'open' | 'resolved'): Promise<ConflictList> {
    return this.call<ConflictList>('GET', `/v1/sync/${this.module}/conflicts?status=${status}`);
  }

  /** `POST /v1/sync/{module}/conflicts/{id}/resolve`. */
  resolve(conflictId: string, body: ConflictResolveRequest): Promise<ConflictResolveResponse> {
    return this.call<ConflictResolveResponse>('POST', `/v1/sync/${this.module}/conflicts/${encodeURIComponent(conflictId)}/resolve`, body);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.options.token()}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(`${this.options.baseUrl}${path}`, {
      method,
      headers,
      ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (res.statusCode < 200 || res.statusCode >= 300) throw new SyncApiError(res.statusCode, parsed);
    return parsed as T;
  }
}
