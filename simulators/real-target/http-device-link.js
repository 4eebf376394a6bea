import { TOKEN_TTL_MS } from '../src/server/server-front.js';
import { isInjectedFault } from './interceptors/injected-fault.js';
import { failureReason, jsonRequest } from './json-http.js';
const MAX_PROBLEM_TITLE = 200;
/** HTTP link of a run's devices. */
export class HttpDeviceLink {
    o;
    closed = false;
    exchanges = new Map();
    /** Transport failures that were not injected (the target itself unreachable), with the last one. */
    realFailures = { count: 0, last: '' };
    /** Requests answered by the target with any HTTP status. */
    answered = 0;
    constructor(o) {
        this.o = o;
    }
    /** Stops delivering answers. */
    close() {
        this.closed = true;
    }
    /** The push exchange of request `req`, if kept. */
    exchange(req) {
        return this.exchanges.get(req);
    }
    refresh(_endpoint, ctx, _req, onReply) {
        this.o.tokens({ tenant: ctx.tenantId, actor: ctx.actorId, roles: ctx.roles }).then((token) => this.deliver(onReply, { status: 200, value: { token, expiresInMs: TOKEN_TTL_MS } }), (err) => {
            this.noteFailure(err);
            this.deliver(onReply, { status: 0, reason: `token: ${failureReason(err)}` });
        });
    }
    push(endpoint, req, token, body, onReply) {
        const path = `/v1/sync/${this.o.module}/push`;
        const exchange = {
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
        jsonRequest(this.o.dispatcherFor(endpoint), this.o.endpoint, { method: 'POST', path, token: token, body }).then((answer) => {
            this.answered++;
            this.keep({ ...exchange, response: { status: answer.status, body: redactOutcomes(answer.body) } });
            this.deliver(onReply, pushReply(answer.status, answer.body));
        }, (err) => {
            this.noteFailure(err);
            this.keep({ ...exchange, failure: failureReason(err) });
            this.deliver(onReply, { status: 0, reason: failureReason(err) });
        });
    }
    pull(endpoint, _tenant, _req, token, cursor, limit, onReply) {
        const epoch = this.o.epoch();
        const query = `limit=${limit}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
        jsonRequest(this.o.dispatcherFor(endpoint), this.o.endpoint, { method: 'GET', path: `/v1/sync/${this.o.module}/pull?${query}`, token: token }).then((answer) => {
            this.answered++;
            this.deliver(onReply, this.pullReply(answer.status, answer.body, epoch));
        }, (err) => {
            this.noteFailure(err);
            this.deliver(onReply, { status: 0, reason: failureReason(err) });
        });
    }
    pullReply(status, body, epoch) {
        const generic = genericReply(status, body);
        if (generic !== undefined)
            return generic.status === 200 ? { status: 200, value: { page: generic.value, commits: epoch } } : generic;
        const page = body;
        if (!page || !Array.isArray(page.changes) || typeof page.nextCursor !== 'string' || typeof page.hasMore !== 'boolean') {
            return { status: 500, message: 'pull answered 200 without {changes, nextCursor, hasMore}' };
        }
        const changes = [];
        for (const c of page.changes) {
            const type = c.aggregate?.type;
            const id = c.aggregate?.id;
            if (typeof type !== 'string' || typeof id !== 'string' || typeof c.version !== 'number')
                continue;
            if (!this.o.inScope(type, id))
                continue;
            changes.push({ aggregate: { type, id }, version: c.version, op: String(c.op), eventId: String(c.eventId) });
        }
        return { status: 200, value: { page: { ok: true, value: { changes, nextCursor: page.nextCursor, hasMore: page.hasMore } }, commits: epoch } };
    }
    deliver(onReply, reply) {
        if (!this.closed)
            onReply(reply);
    }
    keep(exchange) {
        this.exchanges.set(exchange.req, exchange);
        const cap = this.o.keepExchanges ?? 5_000;
        if (this.exchanges.size > cap)
            this.exchanges.delete(this.exchanges.keys().next().value);
    }
    noteFailure(err) {
        if (isInjectedFault(err))
            return;
        this.realFailures.count++;
        this.realFailures.last = failureReason(err);
    }
}
/** 401, 5xx and problems; undefined for a 200. */
function genericReply(status, body) {
    if (status === 200)
        return undefined;
    if (status === 401)
        return { status: 401 };
    if (status >= 500 || status < 200)
        return { status: 500, message: `HTTP ${status}` };
    return { status: 200, value: { ok: false, problem: toProblem(status, body) } };
}
function pushReply(status, body) {
    const generic = genericReply(status, body);
    if (generic !== undefined)
        return generic;
    const outcomes = body?.outcomes;
    if (!Array.isArray(outcomes))
        return { status: 500, message: 'push answered 200 without outcomes' };
    return { status: 200, value: { ok: true, value: { outcomes: outcomes.map(toOutcome) } } };
}
function toProblem(status, body) {
    const p = (body ?? {});
    return {
        type: typeof p.type === 'string' ? p.type : 'about:blank',
        status: typeof p.status === 'number' ? p.status : status,
        ...(typeof p.title === 'string' ? { title: p.title.slice(0, MAX_PROBLEM_TITLE) } : {}),
        ...(typeof p.expectedSeq === 'number' ? { expectedSeq: p.expectedSeq } : {}),
    };
}
function toOutcome(raw) {
    const o = (raw ?? {});
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
function redactOutcomes(body) {
    const outcomes = body?.outcomes;
    if (!Array.isArray(outcomes))
        return body;
    return { outcomes: outcomes.map((o) => (o && typeof o === 'object' && 'serverState' in o ? { ...o, serverState: '<omitted>' } : o)) };
}
