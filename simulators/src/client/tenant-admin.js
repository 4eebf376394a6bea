import { problemName } from '../target/sim-server.js';
const RESOLUTIONS = ['take-client', 'keep-server'];
/** One tenant's admin. */
export class TenantAdmin {
    tenant;
    world;
    resolveRate;
    token;
    random;
    endpoint;
    tries = new Map();
    sent = new Set();
    dirty = false;
    idleChecks = 0;
    /** Open conflicts seen by the last answered sweep, and the tenant's commits at that moment. */
    lastOpen = -1;
    lastCommits = -1;
    constructor(tenant, world, resolveRate) {
        this.tenant = tenant;
        this.world = world;
        this.resolveRate = resolveRate;
        this.token = { ctx: { tenantId: tenant, actorId: `admin-${tenant}`, roles: ['admin'] }, expiresAt: Number.POSITIVE_INFINITY };
        this.random = world.env.random.fork(`admin:${tenant}`);
        this.endpoint = `admin:${tenant}`;
    }
    /** Starts sweeping. */
    start() {
        this.schedule();
    }
    /** True when the last sweep saw no open conflict and nothing committed since. */
    isQuiet(commits) {
        return this.lastOpen === 0 && this.lastCommits === commits;
    }
    /** A user of the tenant reported a conflict or a blocked change (the app's "ask an admin"). */
    notify() {
        this.dirty = true;
    }
    schedule() {
        const phase = this.world.phase();
        if (phase === 'final')
            return;
        const delay = phase === 'safety' ? this.random.int(600_000, 1_800_000) : this.random.int(10_000, 30_000);
        this.world.env.scheduler.after(delay, () => this.sweep());
    }
    sweep() {
        const { env, front } = this.world;
        const phase = this.world.phase();
        if (phase === 'final')
            return;
        // Sweep when users asked for help, when the last look found open conflicts, and otherwise
        // now and then (every ~2 h in safety, every ~2 min in liveness) to catch anything missed.
        this.idleChecks++;
        const due = this.dirty || this.lastOpen !== 0 || this.idleChecks >= 5;
        if (!due) {
            this.schedule();
            return;
        }
        this.dirty = false;
        this.idleChecks = 0;
        this.sent.clear();
        env.network.send('request', this.endpoint, () => front.handle(this.token, (ctx) => {
            const commits = front.commits.get(this.tenant) ?? 0;
            const r = front.server.listConflicts(ctx, 'open');
            return r instanceof Promise ? r.then((list) => ({ list, commits })) : { list: r, commits };
        }, () => 0, (reply) => env.network.send('response', this.endpoint, () => {
            if (reply.status === 200)
                this.onList(reply.value.list, reply.value.commits);
        }), false));
        this.schedule();
    }
    onList(list, commits) {
        if (!list.ok)
            return;
        this.lastOpen = list.value.conflicts.length;
        this.lastCommits = commits;
        const all = this.world.phase() !== 'safety';
        for (const c of list.value.conflicts) {
            if (this.sent.has(c.conflictId))
                continue;
            if (all || this.random.chance(this.resolveRate)) {
                this.sent.add(c.conflictId);
                this.resolve(c);
            }
        }
    }
    resolve(c) {
        const { env, front, history } = this.world;
        const n = this.tries.get(c.conflictId) ?? this.random.int(0, 1);
        this.tries.set(c.conflictId, n + 1);
        const resolution = RESOLUTIONS[n % RESOLUTIONS.length];
        env.network.send('request', this.endpoint, () => front.handle(this.token, (ctx) => front.server.resolve(ctx, c.conflictId, { resolution }), (r) => (r.ok ? 1 : 0), (reply) => env.network.send('response', this.endpoint, () => {
            if (reply.status === 500) {
                history.add({ k: 'resolve', t: env.clock.now(), tenant: this.tenant, conflictId: c.conflictId, resolution, status: 'internal-error' });
                return;
            }
            if (reply.status !== 200)
                return;
            const r = reply.value;
            history.add({
                k: 'resolve',
                t: env.clock.now(),
                tenant: this.tenant,
                conflictId: c.conflictId,
                resolution,
                status: r.ok ? 'resolved' : problemName(r.problem),
                ...(r.ok ? { version: r.value.newVersion } : {}),
            });
        }), true));
    }
}
