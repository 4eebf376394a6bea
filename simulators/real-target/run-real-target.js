/**
 * Real-target mode: the simulator's offline devices against a real server — over HTTP to a base
 * URL, or through any {@link Target} — with faults injected by undici interceptors, in real time,
 * every choice seeded.
 *
 * A run has the simulator's three phases:
 * 1. **safety** — devices capture mutations into their durable queues and sync while requests are
 *    dropped, delayed (reordered), duplicated, answered into the void, and devices are partitioned;
 * 2. **liveness** — faults healed: every queue must drain, conflicts get resolved, and every replica
 *    must catch up, within the time budget (the run stops by itself when the world is quiet);
 * 3. **read-back** — each tenant's changes and conflicts are pulled and compared with the replicas.
 *
 * The history has the simulator's format, and the simulator's checkers judge it: no silent loss,
 * exactly-once as observable through pull and outcomes, per-aggregate order, convergence, tenant
 * isolation. Event and audit checkers run only when an {@link EventReader} is given; otherwise
 * their verdict is `unknown`, never `pass`.
 *
 * The devices are the simulator's {@link OfflineDevice} unchanged — same queue, sequencing,
 * reconciliation and backoff — on a real-time env ({@link RealTimeEnv}, compressed by `timeScale`)
 * and an HTTP link ({@link HttpDeviceLink}).
 */
import { randomBytes } from 'node:crypto';
import { Agent } from 'undici';
import { OfflineDevice, REQUEST_TIMEOUT_MS } from '../src/client/offline-device.js';
import { planMutation } from '../src/client/workload.js';
import { createRandom } from '../src/env/random.js';
import { History } from '../src/history/history.js';
import { runChecker } from '../src/checkers/checker.js';
import { overallVerdict } from '../src/checkers/index.js';
import { noSilentLoss } from '../src/checkers/no-silent-loss.js';
import { exactlyOnce } from '../src/checkers/exactly-once.js';
import { perAggregateOrder } from '../src/checkers/per-aggregate-order.js';
import { convergence } from '../src/checkers/convergence.js';
import { tenantIsolation } from '../src/checkers/tenant-isolation.js';
import { eventPerApplied } from '../src/checkers/event-per-applied.js';
import { auditPerPhiConflict } from '../src/checkers/audit-per-phi-conflict.js';
import { TOOL_VERSION } from '../src/run/tool-version.js';
import { ConflictResolver } from './conflict-resolver.js';
import { examplePlanner } from './example-planner.js';
import { HttpDeviceLink } from './http-device-link.js';
import { faultInterceptors } from './interceptors/fault-interceptors.js';
import { safeSetTimeout } from './interceptors/_internals/handlers.js';
import { endpointOf, failureReason, jsonRequest } from './json-http.js';
import { RealTimeEnv } from './real-time-env.js';
import { readBack } from './read-back.js';
import { TargetDispatcher } from './target-dispatcher.js';
import { writeActivity, writeTracker } from './write-tracker.js';
/** Every fault class on at a moderate level. */
export const DEFAULT_REAL_TARGET_FAULTS = {
    dropRequest: 0.08,
    dropResponseAfterForward: 0.08,
    duplicate: 0.08,
    delay: 0.15,
    delayMsMax: 40,
    partitionsPerClient: 1,
    partitionMsMin: 200,
    partitionMsMax: 1_000,
    clientCrash: 0,
};
/** No faults at all. */
export const NO_REAL_TARGET_FAULTS = {
    dropRequest: 0,
    dropResponseAfterForward: 0,
    duplicate: 0,
    delay: 0,
    delayMsMax: 0,
    partitionsPerClient: 0,
    partitionMsMin: 0,
    partitionMsMax: 0,
    clientCrash: 0,
};
/** The checkers a run applies without server internals. */
export const REAL_TARGET_CHECKERS = [noSilentLoss, exactlyOnce, perAggregateOrder, convergence, tenantIsolation];
const MIN_READ_BACK_RESERVE_MS = 500;
/** Shortest real time a device waits for an answer, ms. */
const MIN_REAL_TIMEOUT_MS = 100;
const MAX_TIME_SCALE = 100;
const WARM_UP_PULLS = 3;
const PULSE_MS = 10;
function unknownResult(c, message) {
    return { checker: c.name, verdict: 'unknown', witness: [], requirements: [...c.requirements], message, violations: 0 };
}
function sleep(ms) {
    return new Promise((resolve) => safeSetTimeout(resolve, ms));
}
function validate(o) {
    const bad = (msg) => {
        throw new RangeError(`runRealTarget: ${msg}`);
    };
    if (!Number.isInteger(o.clients) || o.clients < 1)
        bad(`clients must be an integer >= 1, got ${o.clients}`);
    if (!Number.isInteger(o.mutations) || o.mutations < 0)
        bad(`mutations must be an integer >= 0, got ${o.mutations}`);
    if (!(o.timeBudgetMs > 0))
        bad(`timeBudgetMs must be > 0, got ${o.timeBudgetMs}`);
    if (o.tenants.length === 0)
        bad('at least one tenant is needed');
    for (const t of o.tenants)
        if (t.actors.length === 0)
            bad(`tenant ${t.id} has no actors`);
    if (o.safetyMs !== undefined && !(o.safetyMs > 0 && o.safetyMs < o.timeBudgetMs))
        bad(`safetyMs must be in (0, timeBudgetMs), got ${o.safetyMs}`);
}
/** Partition windows of one device, drawn from its stream; all end before the liveness phase. */
function partitionWindows(f, random, safetyMs) {
    const whole = Math.floor(f.partitionsPerClient);
    const count = whole + (random.chance(f.partitionsPerClient - whole) ? 1 : 0);
    const out = [];
    for (let i = 0; i < count; i++) {
        const fromMs = random.int(0, Math.max(0, safetyMs - 1));
        const toMs = Math.min(safetyMs, fromMs + random.int(Math.max(1, f.partitionMsMin), Math.max(1, f.partitionMsMin, f.partitionMsMax)));
        if (toMs > fromMs)
            out.push({ fromMs, toMs });
    }
    return out;
}
/**
 * Virtual ms per real ms such that a device's request timeout ({@link REQUEST_TIMEOUT_MS}, virtual)
 * lasts at least {@link MIN_REAL_TIMEOUT_MS} and 20 round trips plus the longest injected delays in
 * real time: a far-away target gets a slower device clock, never timeouts on every request.
 */
export function timeScaleFor(rttMs, delayMsMax) {
    const realTimeoutMs = Math.max(MIN_REAL_TIMEOUT_MS, 20 * rttMs + 2 * delayMsMax);
    return Math.max(1, Math.min(MAX_TIME_SCALE, Math.floor(REQUEST_TIMEOUT_MS / realTimeoutMs)));
}
/** Pulls once per tenant: reachability, tokens, round-trip time; or why the run cannot start. */
async function warmUp(o, tokens, dispatcher, endpoint) {
    let rttMs = Number.POSITIVE_INFINITY;
    for (const [i, t] of o.tenants.entries()) {
        const who = { tenant: t.id, ...(t.admin ?? t.actors[0]) };
        let token;
        try {
            token = await tokens(who);
        }
        catch (err) {
            return `no token for ${who.actor} in tenant ${t.id}: ${err instanceof Error ? err.message : String(err)}`;
        }
        for (let k = 0; k < (i === 0 ? WARM_UP_PULLS : 1); k++) {
            const t0 = performance.now();
            let status;
            try {
                status = (await jsonRequest(dispatcher, endpoint, { method: 'GET', path: `/v1/sync/${o.module}/pull?limit=1`, token })).status;
            }
            catch (err) {
                return `the target is unreachable (${failureReason(err)})`;
            }
            rttMs = Math.min(rttMs, performance.now() - t0);
            if (status === 401 || status === 403)
                return `the target refused the token of ${who.actor} in tenant ${t.id} (HTTP ${status})`;
            if (status !== 200)
                return `the target answered a pull of tenant ${t.id} with HTTP ${status}`;
        }
    }
    return { rttMs };
}
/** A run that could not start: every verdict unknown. */
function inconclusiveRun(o, target, reason, wallMs) {
    const history = new History();
    history.add({ k: 'meta', seed: o.seed, tool: `syncproof ${TOOL_VERSION} real-target`, target, options: { module: o.module, tenants: o.tenants.map((t) => t.id), inconclusive: reason } });
    const results = [...REAL_TARGET_CHECKERS, eventPerApplied, auditPerPhiConflict].map((c) => unknownResult(c, reason));
    return {
        target,
        seed: o.seed,
        history,
        results,
        verdict: 'unknown',
        hash: history.hash(),
        inconclusive: reason,
        stats: {
            wallMs: Math.round(wallMs),
            safetyMs: 0,
            livenessMs: 0,
            readBackMs: 0,
            livenessConverged: false,
            devices: 0,
            captures: 0,
            pushes: 0,
            outcomes: 0,
            faults: 0,
            resolutions: 0,
            answered: 0,
            realFailures: 0,
            changes: 0,
            unattributedChanges: 0,
            events: null,
            audit: null,
        },
        evidenceFor: () => [],
    };
}
/** Runs the devices against the target and checks the history. Never throws for the target's behaviour. */
export async function runRealTarget(o) {
    validate(o);
    const started = performance.now();
    const since = new Date(Date.now() - 1_000);
    const progress = o.onProgress ?? (() => undefined);
    const faults = { ...DEFAULT_REAL_TARGET_FAULTS, ...(o.faults ?? {}) };
    const safetyMs = o.safetyMs ?? Math.round(o.timeBudgetMs * 0.4);
    const readBackReserveMs = Math.max(MIN_READ_BACK_RESERVE_MS, Math.round(o.timeBudgetMs * 0.15));
    const livenessDeadline = started + Math.max(safetyMs + 1, o.timeBudgetMs - readBackReserveMs);
    const scope = o.scope ?? 'tenant';
    const salt = o.idSalt ?? randomBytes(4).toString('hex');
    const targetName = typeof o.target === 'string' ? o.target : o.target.name;
    const endpoint = typeof o.target === 'string'
        ? endpointOf(o.target, o.headers ?? {}, o.requestTimeoutMs ?? 5_000)
        : { origin: 'http://target.invalid', prefix: '', headers: o.headers ?? {}, timeoutMs: o.requestTimeoutMs ?? 5_000 };
    const base = typeof o.target === 'string' ? new Agent({ connections: 64 }) : new TargetDispatcher(o.target);
    const activity = writeActivity();
    const clean = base.compose(writeTracker(activity));
    // --- tokens (cached; a failed acquisition is retried on the next refresh)
    const tokenCache = new Map();
    const tokens = (who) => {
        const key = `${who.tenant}\u0000${who.actor}`;
        let hit = tokenCache.get(key);
        if (hit === undefined) {
            hit = o.tokens(who);
            hit.catch(() => tokenCache.delete(key));
            tokenCache.set(key, hit);
        }
        return hit;
    };
    // --- warm-up: the target answers, accepts the tokens, and is this far away
    const warm = await warmUp(o, tokens, clean, endpoint);
    if (typeof warm === 'string') {
        await base.destroy().catch(() => undefined);
        return inconclusiveRun(o, targetName, warm, performance.now() - started);
    }
    const timeScale = o.timeScale ?? timeScaleFor(warm.rttMs, faults.delayMsMax);
    /** Partition windows count from here (the safety phase starts right after the set-up below). */
    const safetyOrigin = performance.now();
    // --- history, with the aggregates this run creates tracked for the shared-tenant scope
    const own = new Set();
    const history = new History();
    const add = history.add.bind(history);
    history.add = (e) => {
        if (e.k === 'capture' && e.op === 'create')
            own.add(e.agg);
        add(e);
    };
    const inScope = (aggKey) => scope === 'tenant' || own.has(aggKey);
    history.add({
        k: 'meta',
        seed: o.seed,
        tool: `syncproof ${TOOL_VERSION} real-target`,
        target: targetName,
        options: {
            module: o.module,
            tenants: o.tenants.map((t) => t.id),
            clients: o.clients,
            clones: o.clones ?? 0,
            mutations: o.mutations,
            faults,
            timeBudgetMs: o.timeBudgetMs,
            safetyMs,
            scope,
            timeScale,
            rttMs: Math.round(warm.rttMs * 10) / 10,
            idSalt: salt,
            workload: o.workload === undefined || o.workload === 'clinic' ? 'clinic' : o.workload.map((a) => a.type),
        },
    });
    // --- the world
    const env = new RealTimeEnv({ seed: o.seed, timeScale });
    const root = createRandom(o.seed);
    let phase = 'safety';
    let epoch = 0;
    let captures = 0;
    let reqCounter = 0;
    let faultCount = 0;
    // --- devices
    const specs = [];
    const clientIds = root.fork(`client-ids:${salt}`);
    const tenantCount = o.tenants.length;
    const clones = tenantCount > 1 ? Math.min(o.clones ?? 0, Math.max(0, o.clients - 1)) : 0;
    const originals = o.clients - clones;
    for (let i = 0; i < originals; i++) {
        const tenant = o.tenants[i % tenantCount];
        const actor = tenant.actors[Math.floor(i / tenantCount) % tenant.actors.length];
        specs.push({ id: `d${i}`, tenant: tenant.id, actor: actor.actor, roles: actor.roles, clientId: clientIds.uuid(), skewMs: 0, streamKey: `device-${i}${salt ? `:${salt}` : ''}` });
    }
    for (let c = 0; c < clones; c++) {
        const original = specs[c % originals];
        const home = o.tenants.findIndex((t) => t.id === original.tenant);
        const other = o.tenants[(home + 1) % tenantCount];
        specs.push({ ...original, id: `d${specs.length}`, tenant: other.id });
    }
    const dispatchers = new Map();
    for (const s of specs) {
        const settings = {
            dropRequest: faults.dropRequest,
            dropResponseAfterForward: faults.dropResponseAfterForward,
            duplicate: faults.duplicate,
            delay: faults.delay,
            delayMsMax: faults.delayMsMax,
            partitions: partitionWindows(faults, root.fork(`partitions:${s.id}`), safetyMs),
        };
        for (const w of settings.partitions) {
            env.after(w.fromMs * env.timeScale, () => history.add({ k: 'fault', t: env.now(), fault: 'partition-client', target: s.id, detail: w.toMs - w.fromMs }));
        }
        const interceptors = faultInterceptors(settings, {
            random: root.fork(`network:${s.id}`),
            active: () => phase === 'safety',
            origin: safetyOrigin,
            onFault: (f) => {
                if (phase === 'final')
                    return;
                faultCount++;
                history.add({ k: 'fault', t: env.now(), fault: f.fault, target: s.id, ...(f.delayMs !== undefined ? { detail: f.delayMs } : {}) });
            },
        });
        dispatchers.set(s.id, base.compose(writeTracker(activity), ...interceptors));
    }
    const link = new HttpDeviceLink({
        endpoint,
        module: o.module,
        tokens,
        dispatcherFor: (dev) => dispatchers.get(dev) ?? clean,
        epoch: () => epoch,
        inScope: (type, id) => inScope(`${type}:${id}`),
    });
    const planner = o.workload === undefined || o.workload === 'clinic' ? planMutation : examplePlanner(o.workload);
    const resolvers = new Map();
    const world = {
        env,
        link,
        planner,
        history,
        phase: () => phase,
        takeCaptureSlot: () => {
            if (captures >= o.mutations)
                return false;
            captures++;
            return true;
        },
        nextReq: () => ++reqCounter,
        askAdmin: (tenant) => resolvers.get(tenant)?.notify(),
    };
    // Mean virtual gap between one device's captures such that the devices together would capture
    // about 1.3 × `mutations` in the safety phase; the cap stops them at `mutations`.
    const captureGapMs = Math.max(1, Math.round((specs.length * safetyMs * env.timeScale) / Math.max(1, o.mutations * 1.3)));
    const devices = specs.map((s) => new OfflineDevice(s, world, { captureGapMs, crashBeforeCommit: 0, crashAfterCommit: faults.clientCrash, mrnPool: 400 }));
    const principalOfClient = new Map();
    for (const s of specs)
        principalOfClient.set(`${s.tenant}\u0000${s.clientId}`, { tenant: s.tenant, actor: s.actor, roles: s.roles });
    for (const t of o.tenants) {
        const first = t.actors[0];
        resolvers.set(t.id, new ConflictResolver({
            tenant: t.id,
            lister: t.admin ? { tenant: t.id, ...t.admin } : { tenant: t.id, ...first },
            ...(t.admin ? { admin: { tenant: t.id, ...t.admin } } : {}),
            ownerOf: (clientId) => principalOfClient.get(`${t.id}\u0000${clientId}`),
            tokens,
            dispatcher: clean,
            endpoint,
            module: o.module,
            env,
            random: root.fork(`resolver:${t.id}`),
            history,
            phase: () => phase,
            epoch: () => epoch,
            resolveRate: o.resolveRate ?? 0.5,
        }));
    }
    // --- safety
    history.add({ k: 'phase', t: env.now(), phase: 'safety' });
    progress(`real-target: ${specs.length} devices over ${tenantCount} tenants of ${targetName}, seed ${o.seed}; safety phase ${safetyMs} ms`);
    for (const d of devices)
        d.start();
    for (const r of resolvers.values())
        r.start();
    await sleep(safetyMs);
    // --- liveness
    phase = 'liveness';
    const livenessStart = performance.now();
    const failuresBefore = link.realFailures.count;
    history.add({ k: 'phase', t: env.now(), phase: 'liveness' });
    for (const d of devices)
        d.wake();
    for (const r of resolvers.values())
        r.wake();
    const quietGapMs = faults.delayMsMax + 30;
    let armedWrites = -1;
    let converged = false;
    while (performance.now() < livenessDeadline) {
        await sleep(PULSE_MS);
        const drained = devices.every((d) => d.queued === 0);
        const netQuiet = activity.inFlight === 0 && performance.now() - activity.lastAt >= quietGapMs;
        if (!drained || !netQuiet)
            continue;
        if (armedWrites !== activity.writes) {
            // Nothing written since the last look: open an epoch; every replica and resolver must now
            // complete a pull or sweep sent in it, with no write in between.
            epoch++;
            armedWrites = activity.writes;
            for (const r of resolvers.values())
                r.wake();
            continue;
        }
        if (devices.every((d) => d.isQuiet(epoch)) && [...resolvers.values()].every((r) => r.isQuiet(epoch))) {
            converged = true;
            break;
        }
    }
    const livenessMs = performance.now() - livenessStart;
    progress(`real-target: liveness ${converged ? 'converged' : 'did not converge'} after ${Math.round(livenessMs)} ms`);
    // --- read-back
    phase = 'final';
    history.add({ k: 'phase', t: env.now(), phase: 'final' });
    env.dispose();
    link.close();
    const readStart = performance.now();
    let readBackError;
    let summary;
    try {
        summary = await readBack({
            tenants: o.tenants.map((t) => t.id),
            module: o.module,
            token: (tenant) => {
                const t = o.tenants.find((x) => x.id === tenant);
                return tokens({ tenant, ...(t.admin ?? t.actors[0]) });
            },
            dispatcher: clean,
            endpoint,
            history,
            inScope,
            sharedTenants: scope !== 'tenant',
            ...(o.events ? { events: o.events } : {}),
            since,
        });
    }
    catch (err) {
        readBackError = `read-back failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    for (const d of devices) {
        const f = d.finalState();
        history.add({ k: 'final-replica', dev: d.spec.id, tenant: d.spec.tenant, n: f.n, digest: f.digest });
        history.add({ k: 'final-queue', dev: d.spec.id, tenant: d.spec.tenant, pending: f.pending });
    }
    const readBackMs = performance.now() - readStart;
    await base.destroy().catch(() => undefined);
    // --- verdicts
    let pushes = 0;
    let outcomes = 0;
    let committed = 0;
    let resolutions = 0;
    for (const e of history.entries) {
        if (e.k === 'push')
            pushes++;
        else if (e.k === 'outcome')
            outcomes++;
        else if (e.k === 'capture')
            committed++;
        else if (e.k === 'resolve' && e.status === 'resolved')
            resolutions++;
    }
    // Why nothing can be judged, most telling reason first.
    const failuresInLiveness = link.realFailures.count - failuresBefore;
    const inconclusive = env.errors.length > 0
        ? `the client model threw: ${env.errors[0] instanceof Error ? env.errors[0].message : String(env.errors[0])}`
        : link.answered === 0
            ? `the target answered no request${link.realFailures.count > 0 ? ` (last failure: ${link.realFailures.last})` : ''}`
            : !converged && failuresInLiveness > 0
                ? `the target stopped answering during the liveness phase (${failuresInLiveness} transport failures, last: ${link.realFailures.last})`
                : (readBackError ?? (committed === 0 ? 'no mutation was captured (time budget too short?)' : undefined));
    let results;
    if (inconclusive !== undefined) {
        results = [...REAL_TARGET_CHECKERS, eventPerApplied, auditPerPhiConflict].map((c) => unknownResult(c, inconclusive));
    }
    else {
        results = REAL_TARGET_CHECKERS.map((c) => runChecker(c, history.entries));
        results.push(o.events ? runChecker(eventPerApplied, history.entries) : unknownResult(eventPerApplied, 'no event observer given'));
        results.push(summary?.audit !== null && summary?.audit !== undefined
            ? runChecker(auditPerPhiConflict, history.entries)
            : unknownResult(auditPerPhiConflict, o.events ? 'the event observer reads no audit stream' : 'no event observer given'));
    }
    const verdict = overallVerdict(results);
    progress(`real-target: ${results.map((r) => `${r.checker} ${r.verdict}`).join(', ')}`);
    const pushReqsOf = (cmid) => {
        const out = [];
        for (const e of history.entries)
            if (e.k === 'push' && e.cmids.includes(cmid))
                out.push(e.req);
        return out;
    };
    return {
        target: targetName,
        seed: o.seed,
        history,
        results,
        verdict,
        hash: history.hash(),
        ...(inconclusive !== undefined ? { inconclusive } : {}),
        stats: {
            wallMs: Math.round(performance.now() - started),
            safetyMs,
            livenessMs: Math.round(livenessMs),
            readBackMs: Math.round(readBackMs),
            livenessConverged: converged,
            devices: devices.length,
            captures: committed,
            pushes,
            outcomes,
            faults: faultCount,
            resolutions,
            answered: link.answered,
            realFailures: link.realFailures.count,
            changes: summary?.changes ?? 0,
            unattributedChanges: summary?.unattributed ?? 0,
            events: summary?.events ?? null,
            audit: summary?.audit ?? null,
        },
        evidenceFor(witness, max = 3) {
            const reqs = [];
            for (const e of witness) {
                if ('req' in e && typeof e.req === 'number')
                    reqs.push(e.req);
                else if (e.k === 'capture')
                    reqs.push(...pushReqsOf(e.cmid).slice(-2));
            }
            const out = [];
            for (const r of new Set(reqs)) {
                const ex = link.exchange(r);
                if (ex !== undefined)
                    out.push(ex);
                if (out.length >= max)
                    break;
            }
            return out;
        },
    };
}
