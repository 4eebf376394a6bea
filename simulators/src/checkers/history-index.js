import { filled, ScopedInterner, SmallInterner, stringHash } from './scoped-interner.js';
const KIND_NAMES = [
    'meta', 'phase', 'capture', 'capture-aborted', 'push', 'outcome', 'unknown', 'request-error', 'surface', 'resolve', 'fault',
    'crash', 'restart', 'event', 'audit', 'log', 'final-agg', 'final-conflict', 'final-replica', 'final-queue',
];
/** Outcome status codes in {@link HistoryIndex.outcomeStatus}. */
export const STATUS_OTHER = 0;
export const STATUS_APPLIED = 1;
export const STATUS_REJECTED = 2;
export const STATUS_CONFLICT = 3;
const cache = new WeakMap();
/** Indexes a history (cached). */
export function historyIndex(entries) {
    const hit = cache.get(entries);
    if (hit !== undefined && hit.length === entries.length)
        return hit.index;
    const index = buildIndex(entries);
    cache.set(entries, { length: entries.length, index });
    return index;
}
/** Prefix of the clientMutationId a resolution's change carries. */
export const RESOLVE_PREFIX = 'resolve:';
/** The second dot-separated token of a subject (`<prefix>.<tenant>.…`). */
export function subjectTenant(subject) {
    const dot = subject.indexOf('.');
    return subject.slice(dot + 1, subject.indexOf('.', dot + 1));
}
/** `subjectTenant(subject) === tenant`, without building the token. */
export function subjectNamesTenant(subject, tenant) {
    const start = subject.indexOf('.') + 1;
    const next = subject.indexOf('.', start);
    const end = next < 0 ? subject.length + next : next; // slice's reading of a negative end
    return Math.max(0, end - start) === tenant.length && (tenant.length === 0 || subject.startsWith(tenant, start));
}
/** Largest gap between request numbers indexed directly (beyond: answers fall back to hashing). */
const MAX_REQ_GAP = 4096;
function buildIndex(entries) {
    // Pass 1: sizes, so every column is allocated once at its final length (growing arrays would
    // leave as much garbage again for the collector to trace through the whole history).
    const count = {};
    for (const name of KIND_NAMES)
        count[name] = 0;
    let pushed = 0;
    let pending = 0;
    for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        const k = e.k;
        if (k === 'push')
            pushed += e.cmids.length;
        else if (k === 'final-queue')
            pending += e.pending.length;
        if (count[k] !== undefined)
            count[k]++; // a kind this version does not know is ignored
    }
    const nCapture = count.capture;
    const nPush = count.push;
    const nOutcome = count.outcome;
    const nEvent = count.event;
    const nLog = count.log;
    const at = {};
    for (const name of KIND_NAMES)
        at[name] = filled(count[name], 0);
    const cursor = {};
    for (const name of KIND_NAMES)
        cursor[name] = 0;
    const mutations = new ScopedInterner(nCapture);
    const devices = new SmallInterner();
    const devAggs = new ScopedInterner(nCapture);
    const captureMut = filled(nCapture, 0);
    const captureDev = filled(nCapture, 0);
    const captureSeq = filled(nCapture, 0);
    const captureDevAgg = filled(nCapture, 0);
    const pushStart = filled(nPush + 1, 0);
    const pushMut = filled(pushed, 0);
    const pushDev = filled(nPush, 0);
    const pushOfReq = []; // request number → push
    const outcomeMut = filled(nOutcome, 0);
    const outcomeStatus = filled(nOutcome, 0);
    const outcomeDecided = filled(nOutcome, 0);
    const outcomeVersion = filled(nOutcome, 0);
    const outcomeHasEventId = filled(nOutcome, 0);
    const surfaceMut = filled(count.surface, 0);
    const eventMut = filled(nEvent, 0);
    const eventRedelivery = filled(nEvent, 0);
    const eventResolve = filled(nEvent, 0);
    const eventSubjectOk = filled(nEvent, 0);
    const logMut = filled(nLog, 0);
    const logResolve = filled(nLog, 0);
    const logVersion = filled(nLog, 0);
    const queueStart = filled(count['final-queue'] + 1, 0);
    const queueMut = filled(pending, 0);
    let pm = 0;
    let qm = 0;
    let final = false;
    // Pass 2; each case touches one entry shape, so its property reads stay monomorphic.
    for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        switch (e.k) {
            case 'capture': {
                const c = cursor.capture++;
                at.capture[c] = i;
                captureMut[c] = mutations.intern(e.tenant, e.cmid);
                captureDev[c] = devices.intern(e.dev);
                captureSeq[c] = e.seq;
                captureDevAgg[c] = devAggs.intern(e.dev, e.agg);
                break;
            }
            case 'push': {
                const p = cursor.push++;
                at.push[p] = i;
                pushStart[p] = pm;
                pushDev[p] = devices.intern(e.dev);
                for (const cmid of e.cmids)
                    pushMut[pm++] = mutations.intern(e.tenant, cmid);
                const req = e.req;
                // Request numbers are dense from 1; a far jump would make the array sparse, so skip it.
                if (Number.isInteger(req) && req >= 0 && req <= pushOfReq.length + MAX_REQ_GAP) {
                    while (pushOfReq.length < req)
                        pushOfReq.push(-1);
                    pushOfReq[req] = p;
                }
                break;
            }
            case 'outcome': {
                const o = cursor.outcome++;
                at.outcome[o] = i;
                // The answer names a mutation of its request: find it in that push's list by reference.
                let m = -1;
                const p = pushOfReq[e.req] ?? -1;
                if (p !== -1) {
                    const push = entries[at.push[p]];
                    if (push.tenant === e.tenant) {
                        const cmids = push.cmids;
                        for (let j = 0; j < cmids.length; j++) {
                            if (cmids[j] === e.cmid) {
                                m = pushMut[pushStart[p] + j];
                                break;
                            }
                        }
                    }
                }
                outcomeMut[o] = m === -1 ? mutations.intern(e.tenant, e.cmid) : m;
                const s = e.status;
                const code = s === 'applied' ? STATUS_APPLIED : s === 'rejected' ? STATUS_REJECTED : s === 'conflict' ? STATUS_CONFLICT : STATUS_OTHER;
                outcomeStatus[o] = code;
                outcomeDecided[o] = code === STATUS_APPLIED || code === STATUS_CONFLICT || (code === STATUS_REJECTED && e.problem !== 'out-of-order') ? 1 : 0;
                outcomeVersion[o] = e.version ?? Number.NaN;
                outcomeHasEventId[o] = e.eventId === undefined ? 0 : 1;
                break;
            }
            case 'surface': {
                const x = cursor.surface++;
                at.surface[x] = i;
                surfaceMut[x] = mutations.intern(e.tenant, e.cmid);
                break;
            }
            case 'event': {
                const x = cursor.event++;
                at.event[x] = i;
                eventMut[x] = e.cmid === null ? -1 : mutations.intern(e.tenant, e.cmid);
                eventRedelivery[x] = e.redelivery === true ? 1 : 0;
                eventResolve[x] = e.cmid !== null && e.cmid.startsWith(RESOLVE_PREFIX) ? 1 : 0;
                eventSubjectOk[x] = subjectNamesTenant(e.subject, e.tenant) ? 1 : 0;
                break;
            }
            case 'log': {
                const x = cursor.log++;
                at.log[x] = i;
                logMut[x] = mutations.intern(e.tenant, e.cmid);
                logResolve[x] = e.op === 'resolve' ? 1 : 0;
                logVersion[x] = e.version;
                break;
            }
            case 'final-queue': {
                const x = cursor['final-queue']++;
                at['final-queue'][x] = i;
                queueStart[x] = qm;
                for (const cmid of e.pending)
                    queueMut[qm++] = mutations.intern(e.tenant, cmid);
                break;
            }
            case 'phase':
                at.phase[cursor.phase++] = i;
                if (e.phase === 'final')
                    final = true;
                break;
            default: {
                const list = at[e.k];
                if (list !== undefined)
                    list[cursor[e.k]++] = i;
            }
        }
    }
    pushStart[nPush] = pm;
    queueStart[count['final-queue']] = qm;
    const positions = {};
    for (const name of KIND_NAMES)
        positions[name] = at[name];
    const n = mutations.size;
    const capMut = captureMut;
    const captureOf = filled(n, -1);
    for (let i = 0; i < capMut.length; i++)
        captureOf[capMut[i]] = i;
    const logAt = positions.log;
    const logOfEntry = (i) => entries[logAt[i]];
    const lMut = logMut;
    const lResolve = logResolve;
    const logOf = filled(n, -1);
    const logAnyOf = filled(n, -1);
    const extraLogs = [];
    let loggedMutations = 0;
    for (let i = 0; i < lMut.length; i++) {
        const m = lMut[i];
        if (logAnyOf[m] === -1)
            logAnyOf[m] = i;
        if (lResolve[i] === 1)
            continue;
        const first = logOf[m];
        if (first === -1) {
            logOf[m] = i;
            loggedMutations++;
        }
        else
            extraLogs.push([logOfEntry(first), logOfEntry(i)]);
    }
    const { shared, distinct } = duplicateIds(lMut.length, (i) => logOfEntry(i).eventId, logOfEntry);
    let byEvent;
    const logByEvent = () => {
        if (byEvent === undefined) {
            byEvent = new Map();
            for (let i = 0; i < lMut.length; i++) {
                const id = logOfEntry(i).eventId;
                if (!byEvent.has(id))
                    byEvent.set(id, i);
            }
        }
        return byEvent;
    };
    const kinds = {};
    for (const name of KIND_NAMES) {
        // Built on first use: checkers read the big kinds through positions and columns.
        Object.defineProperty(kinds, name, {
            configurable: true,
            enumerable: true,
            get() {
                const pos = positions[name];
                const list = new Array(pos.length);
                for (let i = 0; i < pos.length; i++)
                    list[i] = entries[pos[i]];
                Object.defineProperty(kinds, name, { value: list, enumerable: true });
                return list;
            },
        });
    }
    const pick = (pos) => (i) => entries[pos[i]];
    return {
        final,
        entries,
        at: positions,
        kinds,
        capture: pick(positions.capture),
        push: pick(positions.push),
        outcome: pick(positions.outcome),
        event: pick(positions.event),
        log: logOfEntry,
        mutations,
        devices,
        captureMut: capMut,
        captureDev: captureDev,
        captureSeq: captureSeq,
        captureDevAgg: captureDevAgg,
        devAggCount: devAggs.size,
        pushStart: pushStart,
        pushMut: pushMut,
        pushDev: pushDev,
        outcomeMut: outcomeMut,
        outcomeStatus: outcomeStatus,
        outcomeDecided: outcomeDecided,
        outcomeVersion: outcomeVersion,
        outcomeHasEventId: outcomeHasEventId,
        surfaceMut: surfaceMut,
        eventMut: eventMut,
        eventRedelivery: eventRedelivery,
        eventResolve: eventResolve,
        eventSubjectOk: eventSubjectOk,
        logMut: lMut,
        logResolve: lResolve,
        logVersion: logVersion,
        queueStart: queueStart,
        queueMut: queueMut,
        captureOf,
        logOf,
        logAnyOf,
        loggedMutations,
        extraLogs,
        sharedEventIds: shared,
        logEventIds: distinct,
        logByEvent,
        logCount: lMut.length,
    };
}
/**
 * Event ids carried by more than one logged change, without a map of all ids: sort the changes by
 * a 32-bit hash of their id (radix sort over typed arrays) and compare only neighbours with equal
 * hashes. Returns each later carrier paired with the first, in log order, and the distinct count.
 */
function duplicateIds(n, idOf, logOf) {
    if (n === 0)
        return { shared: [], distinct: 0 };
    let keys = new Uint32Array(n);
    let order = new Int32Array(n);
    for (let i = 0; i < n; i++) {
        keys[i] = stringHash(idOf(i)) >>> 0;
        order[i] = i;
    }
    // LSD radix sort, 16 bits at a time; stable, so equal hashes stay in log order.
    let keys2 = new Uint32Array(n);
    let order2 = new Int32Array(n);
    const count = new Int32Array(65537);
    for (let shift = 0; shift < 32; shift += 16) {
        count.fill(0);
        for (let i = 0; i < n; i++)
            count[((keys[i] >>> shift) & 0xffff) + 1]++;
        for (let b = 0; b < 65536; b++)
            count[b + 1] = count[b + 1] + count[b];
        for (let i = 0; i < n; i++) {
            const key = keys[i];
            const at = count[(key >>> shift) & 0xffff]++;
            keys2[at] = key;
            order2[at] = order[i];
        }
        [keys, keys2] = [keys2, keys];
        [order, order2] = [order2, order];
    }
    const pairs = [];
    let distinct = n;
    for (let s = 0; s < n;) {
        let e = s + 1;
        while (e < n && keys[e] === keys[s])
            e++;
        // Within a run of equal hashes (almost always length 1), pair each id with its first carrier.
        for (let a = s + 1; a < e; a++) {
            const ia = order[a];
            for (let b = s; b < a; b++) {
                const ib = order[b];
                if (idOf(ib) === idOf(ia)) {
                    pairs.push([ib, ia]);
                    distinct--;
                    break;
                }
            }
        }
        s = e;
    }
    // A run is in log order (the sort is stable), so the first equal id found is the first carrier.
    pairs.sort((x, y) => x[1] - y[1]);
    return { shared: pairs.map(([b, a]) => [logOf(b), logOf(a)]), distinct };
}
