/**
 * The devices' transport in real-target mode: push and pull over HTTP (TR §2, §7) through each
 * device's own fault-injecting dispatcher, tokens from the run's token provider. HTTP answers
 * become the replies the device already understands: 200 → outcomes or a page, 401 → refresh,
 * 5xx → retry later, any other problem → a whole-request problem, no answer → `status: 0`.
 * After {@link HttpDeviceLink.close} late answers are dropped, so nothing reaches a device (or the
 * history) once the run has moved on to its read-back.
 */
import type { Dispatcher } from 'undici';
import type { DeviceLink, LinkReply, PullReplyValue, PushBody, PushResult, TokenGrant } from '../src/client/device-link.js';
import { TOKEN_TTL_MS } from '../src/server/server-front.js';
import type { SimChange, SimOutcome, SimProblem } from '../src/target/sim-server.js';
import { isInjectedFault } from './interceptors/injected-fault.js';
import { type Endpoint, failureReason, jsonRequest } from './json-http.js';

/** Who a token is for. */
export interface Principal {
  readonly tenant: string;
  readonly actor: string;
  readonly roles: readonly string[];
}

/** Hands out bearer tokens (the run calls it again after a 401). */
export type TokenProvider = (who: Principal) => Promise<string>;

/** One push as evidence: what was sent (no payloads) and what came back (no server state). */
export interface PushExchange {
  readonly req: number;
  readonly dev: string;
  readonly request: { readonly method: 'POST'; readonly path: string; readonly body: unknown };
  readonly response?: { readonly status: number; readonly body: unknown };
  readonly failure?: string;
}

/** Options of {@link HttpDeviceLink}. */
export interface HttpDeviceLinkOptions {
  readonly endpoint: Endpoint;
  readonly module: string;
  readonly tokens: TokenProvider;
  /** The fault-injecting dispatcher of device `endpoint`. */
  dispatcherFor(device: string): Dispatcher;
  /** The current liveness epoch (stamped on pull replies as `commits`). */
  epoch(): number;
  /** Whether a pulled change belongs to this run (shared tenants) — others are not shown to devices. */
  inScope(type: string, id: string): boolean;
  /** Keep at most this many push exchanges as evidence. @defaultValue 5000 */
  readonly keepExchanges?: number;
}

const MAX_PROBLEM_TITLE = 200;

/** HTTP link of a run's devices. */
export class HttpDeviceLink implements DeviceLink {
  private closed = false;
  private readonly exchanges = new Map<number, PushExchange>();
  /** Transport failures that were not injected (the target itself unreachable), with the last one. */
  readonly realFailures = { count: 0, last: '' };
  /** Requests answered by the target with any HTTP status. */
  answered = 0;

  constructor(private readonly o: HttpDeviceLinkOptions) {}

  /** Stops delivering answers. */
  close(): void {
    this.closed = true;
  }

  /** The push exchange of request `req`, if kept. */
  exchange(req: number): PushExchange | undefined {
    return this.exchanges.get(req);
  }

  refresh(_endpoint: string, ctx: { tenantId: string; actorId: string; roles: readonly string[] }, _req: number, onReply: (reply: LinkReply<TokenGrant>) => void): void {
    this.o.tokens({ tenant: ctx.tenantId, actor: ctx.actorId, roles: ctx.roles }).then(
      (token) => this.deliver(onReply, { status: 200, value: { token, expiresInMs: TOKEN_TTL_MS } }),
      (err: unknown) => {
        this.noteFailure(err);
        this.deliver(onReply, { status: 0, reason: `token: ${failureReason(err)}` });
      },
    );
  }

  push(endpoint: string, req: number, token: unknown, body: PushBody, onReply: (reply: LinkReply<PushResult>) => void): void {
    const path = `/v1/sync/${this.o.module}/push`;
    const exchange: PushExchange = {
      req,
      dev: endpoint,
      request: {
        method: 'POST',
        path,
        body: {
          clientId: body.clientId,
          mutations: body.mutations.map((m) => ({ clientMutationId: m.clientMutationId, clientSeq: m.clientSeq, aggregate: m.aggregate, op: m.op, baseVersion: m.baseVersion })),
        },
      },
    };
    this.keep(exchange);
    jsonRequest(this.o.dispatcherFor(endpoint), this.o.endpoint, { method: 'POST', path, token: token as string, body }).then(
      (answer) => {
        this.answered++;
        this.keep({ ...exchange, response: { status: answer.status, body: redactOutcomes(answer.body) } });
        this.deliver(onReply, pushReply(answer.status, answer.body));
      },
      (err: unknown) => {
        this.noteFailure(err);
        this.keep({ ...exchange, failure: failureReason(err) });
        this.deliver(onReply, { status: 0, reason: failureReason(err) });
      },
    );
  }

  pull(
    endpoint: string,
    _tenant: string,
    _req: number,
    token: unknown,
    cursor: string | undefined,
    limit: number,
    onReply: (reply: LinkReply<PullReplyValue>) => void,
  ): void {
    const epoch = this.o.epoch();
    const query = `limit=${limit}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    jsonRequest(this.o.dispatcherFor(endpoint), this.o.endpoint, { method: 'GET', path: `/v1/sync/${this.o.module}/pull?${query}`, token: token as string }).then(
      (answer) => {
        this.answered++;
        this.deliver(onReply, this.pullReply(answer.status, answer.body, epoch));
      },
      (err: unknown) => {
        this.noteFailure(err);
        this.deliver(onReply, { status: 0, reason: failureReason(err) });
      },
    );
  }

  private pullReply(status: number, body: unknown, epoch: number): LinkReply<PullReplyValue> {
    const generic = genericReply(status, body);
    if (generic !== undefined) return generic.status === 200 ? { status: 200, value: { page: generic.value, commits: epoch } } : generic;
    const page = body as { changes?: unknown; nextCursor?: unknown; hasMore?: unknown } | undefined;
    if (!page || !Array.isArray(page.changes) || typeof page.nextCursor !== 'string' || typeof page.hasMore !== 'boolean') {
      return { status: 500, message: 'pull answered 200 without {changes, nextCursor, hasMore}' };
    }
    const changes: SimChange[] = [];
    for (const c of page.changes as { aggregate?: { type?: unknown; id?: unknown }; version?: unknown; op?: unknown; eventId?: unknown }[]) {
      const type = c.aggregate?.type;
      const id = c.aggregate?.id;
      if (typeof type !== 'string' || typeof id !== 'string' || typeof c.version !== 'number') continue;
      if (!this.o.inScope(type, id)) continue;
      changes.push({ aggregate: { type, id }, version: c.version, op: String(c.op), eventId: String(c.eventId) });
    }
    return { status: 200, value: { page: { ok: true, value: { changes, nextCursor: page.nextCursor, hasMore: page.hasMore } }, commits: epoch } };
  }

  private deliver<T>(onReply: (reply: T) => void, reply: T): void {
    if (!this.closed) onReply(reply);
  }

  private keep(exchange: PushExchange): void {
    this.exchanges.set(exchange.req, exchange);
    const cap = this.o.keepExchanges ?? 5_000;
    if (this.exchanges.size > cap) this.exchanges.delete(this.exchanges.keys().next().value as number);
  }

  private noteFailure(err: unknown): void {
    if (isInjectedFault(err)) return;
    this.realFailures.count++;
    this.realFailures.last = failureReason(err);
  }
}

/** 401, 5xx and problems; undefined for a 200. */
function genericReply(status: number, body: unknown): LinkReply<never> | { status: 200; value: { ok: false; problem: SimProblem } } | undefined {
  if (status === 200) return undefined;
  if (status === 401) return { status: 401 };
  if (status >= 500 || status < 200) return { status: 500, message: `HTTP ${status}` };
  return { status: 200, value: { ok: false, problem: toProblem(status, body) } };
}

function pushReply(status: number, body: unknown): LinkReply<PushResult> {
  const generic = genericReply(status, body);
  if (generic !== undefined) return generic as LinkReply<PushResult>;
  const outcomes = (body as { outcomes?: unknown } | undefined)?.outcomes;
  if (!Array.isArray(outcomes)) return { status: 500, message: 'push answered 200 without outcomes' };
  return { status: 200, value: { ok: true, value: { outcomes: outcomes.map(toOutcome) } } };
}

function toProblem(status: number, body: unknown): SimProblem {
  const p = (body ?? {}) as { type?: unknown; status?: unknown; title?: unknown; expectedSeq?: unknown };
  return {
    type: typeof p.type === 'string' ? p.type : 'about:blank',
    status: typeof p.status === 'number' ? p.status : status,
    ...(typeof p.title === 'string' ? { title: p.title.slice(0, MAX_PROBLEM_TITLE) } : {}),
    ...(typeof p.expectedSeq === 'number' ? { expectedSeq: p.expectedSeq } : {}),
  };
}

function toOutcome(raw: unknown): SimOutcome {
  const o = (raw ?? {}) as Record<string, unknown>;
  return {
    clientMutationId: String(o['clientMutationId']),
    clientSeq: typeof o['clientSeq'] === 'number' ? o['clientSeq'] : 0,
    status: String(o['status']),
    ...(typeof o['newVersion'] === 'number' ? { newVersion: o['newVersion'] } : {}),
    ...(typeof o['eventId'] === 'string' ? { eventId: o['eventId'] } : {}),
    ...(typeof o['conflictId'] === 'string' ? { conflictId: o['conflictId'] } : {}),
    ...(typeof o['policy'] === 'string' ? { policy: o['policy'] } : {}),
    ...(typeof o['blockedBy'] === 'string' ? { blockedBy: o['blockedBy'] } : {}),
    ...(o['problem'] !== undefined ? { problem: toProblem(0, o['problem']) } : {}),
    ...(o['replayed'] === true ? { replayed: true } : {}),
  };
}

/** Outcomes without `serverState` (it may hold PHI; evidence never does). */
function redactOutcomes(body: unknown): unknown {
  const outcomes = (body as { outcomes?: unknown } | undefined)?.outcomes;
  if (!Array.isArray(outcomes)) return body;
  return { outcomes: outcomes.map((o) => (o && typeof o === 'object' && 'serverState' in o ? { ...o, serverState: '<omitted>' } : o)) };
}
