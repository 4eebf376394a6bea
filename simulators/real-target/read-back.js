import { auditIdOf, eventIdOf } from './event-ids.js';
import { jsonRequest } from './json-http.js';
const PULL_LIMIT = 500;
const MAX_PAGES = 10_000;
async function fetchOk(o, tenant, path) {
    const a = await jsonRequest(o.dispatcher, o.endpoint, { method: 'GET', path, token: await o.token(tenant) });
    if (a.status !== 200)
        throw new Error(`read-back GET ${path} as ${tenant} answered ${a.status}: ${a.rawBody.slice(0, 200)}`);
    return a.body;
}
async function pullAll(o, tenant) {
    const out = [];
    let cursor;
    for (let page = 0; page < MAX_PAGES; page++) {
        const q = `limit=${PULL_LIMIT}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
        const body = (await fetchOk(o, tenant, `/v1/sync/${o.module}/pull?${q}`));
        if (!Array.isArray(body?.changes) || typeof body.nextCursor !== 'string')
            throw new Error(`read-back pull of ${tenant}: malformed page`);
        for (const c of body.changes)
            out.push(c);
        cursor = body.nextCursor;
        if (body.hasMore !== true)
            return out;
    }
    throw new Error(`read-back pull of ${tenant}: more than ${MAX_PAGES} pages`);
}
async function conflicts(o, tenant) {
    const out = [];
    for (const status of ['open', 'resolved']) {
        const body = (await fetchOk(o, tenant, `/v1/sync/${o.module}/conflicts?status=${status}`));
        if (!Array.isArray(body?.conflicts))
            throw new Error(`read-back conflicts of ${tenant}: malformed list`);
        out.push(...body.conflicts);
    }
    return out;
}
/** Who made each change: event id → clientMutationId, per tenant, from outcomes and captures. */
function attribution(entries) {
    const byTenant = new Map();
    const of = (tenant) => {
        let m = byTenant.get(tenant);
        if (m === undefined)
            byTenant.set(tenant, (m = new Map()));
        return m;
    };
    for (const e of entries) {
        if (e.k === 'capture') {
            const m = of(e.tenant);
            const id = eventIdOf(e.tenant, e.cmid);
            if (!m.has(id))
                m.set(id, e.cmid);
        }
    }
    // Answers the devices received win over the derivation: they are what the server said.
    for (const e of entries)
        if (e.k === 'outcome' && e.status === 'applied' && e.eventId !== undefined)
            of(e.tenant).set(e.eventId, e.cmid);
    return byTenant;
}
/** Reads every tenant back into `o.history`. Throws when the target cannot be read. */
export async function readBack(o) {
    const { history } = o;
    const who = attribution(history.entries);
    let changes = 0;
    let unattributed = 0;
    let events = o.events ? 0 : null;
    let audits = null;
    for (const tenant of o.tenants) {
        const [log, rows] = await Promise.all([pullAll(o, tenant), conflicts(o, tenant)]);
        const conflictOfCmid = new Map();
        const inScope = (a) => o.inScope(`${a.type}:${a.id}`);
        for (const c of rows) {
            conflictOfCmid.set(c.clientMutationId, c);
            if (!inScope(c.aggregate))
                continue;
            history.add({
                k: 'final-conflict',
                tenant,
                conflictId: c.conflictId,
                cmid: c.clientMutationId,
                agg: `${c.aggregate.type}:${c.aggregate.id}`,
                status: c.status,
                phi: c.phi === true,
            });
        }
        const attributed = who.get(tenant) ?? new Map();
        const last = new Map();
        for (const c of log) {
            if (!inScope(c.aggregate))
                continue;
            const agg = `${c.aggregate.type}:${c.aggregate.id}`;
            let cmid = attributed.get(c.eventId);
            if (c.op === 'resolve') {
                const conflict = cmid === undefined ? undefined : conflictOfCmid.get(cmid);
                cmid = conflict ? `resolve:${conflict.conflictId}` : `resolve:unknown-${c.eventId}`;
            }
            else if (cmid === undefined) {
                cmid = `unattributed:${c.eventId}`;
                unattributed++;
            }
            history.add({ k: 'log', tenant, agg, version: c.version, op: c.op, eventId: c.eventId, cmid });
            last.set(agg, c.version);
            changes++;
        }
        for (const [agg, version] of last)
            history.add({ k: 'final-agg', tenant, agg, version });
        if (!o.events)
            continue;
        const seen = await o.events.read(tenant, o.since);
        for (const m of seen.events) {
            const e = cloudEventEntry(m, o.inScope);
            if (e === undefined)
                continue;
            history.add(e);
            events = (events ?? 0) + 1;
        }
        if (seen.audit === undefined)
            continue;
        audits ??= 0;
        const auditConflict = new Map();
        for (const c of rows)
            auditConflict.set(auditIdOf(tenant, c.conflictId), c.conflictId);
        let seq = 0;
        const ourConflicts = new Set(rows.filter((c) => inScope(c.aggregate)).map((c) => c.conflictId));
        for (const m of seen.audit) {
            const body = (m.body ?? {});
            const reference = body.entity?.[0]?.what?.reference;
            const conflictId = auditConflict.get(typeof body.id === 'string' ? body.id : '') ?? null;
            // Shared tenants hold other runs' audit events: keep only those about this run's conflicts.
            if (o.sharedTenants && (conflictId === null || !ourConflicts.has(conflictId)))
                continue;
            history.add({ k: 'audit', tenant, seq: ++seq, action: m.subject.slice(m.subject.lastIndexOf('.') + 1), conflictId, entity: typeof reference === 'string' ? reference : null });
            audits++;
        }
    }
    return { changes, unattributed, events, audit: audits };
}
/** A CloudEvent (TR §8.2) as a history `event` entry; undefined when it is not one or not this run's. */
function cloudEventEntry(m, inScope) {
    const ce = (m.body ?? {});
    const data = ce.data;
    const type = data?.aggregate?.type;
    const id = data?.aggregate?.id;
    if (typeof ce.id !== 'string' || typeof type !== 'string' || typeof id !== 'string')
        return undefined;
    const agg = `${type}:${id}`;
    if (!inScope(agg))
        return undefined;
    return {
        k: 'event',
        t: 0,
        id: ce.id,
        // The checkers read the tenant from the second subject token: `sync.<tenantId>.…`.
        subject: `sync.${m.subject}`,
        tenant: typeof data?.tenantId === 'string' ? data.tenantId : '',
        cmid: typeof data?.clientMutationId === 'string' ? data.clientMutationId : null,
        agg,
        version: typeof data?.version === 'number' ? data.version : -1,
        type: typeof ce.type === 'string' ? ce.type : '',
    };
}
