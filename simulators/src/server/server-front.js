import { andThen } from '../target/sim-server.js';
const SWALLOWED = Symbol('swallowed');
/** Token lifetime. */
export const TOKEN_TTL_MS = 3_600_000;
/** The simulated front door. */
export class ServerFront {
    env;
    server;
    history;
    downUntil = 0;
    crashRandom;
    crashProbability;
    /** Commits (applied changes) per tenant, as the front saw them. */
    commits = new Map();
    relay;
    stats = { requests: 0, unauthorized: 0, crashes: 0, refusedWhileDown: 0, serverErrors: 0 };
    constructor(env, server, history, crashProbability) {
        this.env = env;
        this.server = server;
        this.history = history;
        this.crashRandom = env.random.fork('server-crash');
        this.crashProbability = crashProbability;
    }
    /** Turns the crash fault off (liveness phase). */
    heal() {
        this.crashProbability = 0;
        this.downUntil = 0;
    }
    /** Whether the server process is up now. */
    isUp() {
        return this.env.clock.now() >= this.downUntil;
    }
    /** Issues a token for `ctx` valid from now. */
    issueToken(ctx) {
        return { ctx, expiresAt: this.env.clock.now() + TOKEN_TTL_MS };
    }
    /** Adds `n` commits to a tenant's counter (the core reported applied changes). */
    noteCommits(tenantId, n) {
        if (n <= 0)
            return;
        this.commits.set(tenantId, (this.commits.get(tenantId) ?? 0) + n);
        this.relay?.kick();
    }
    /**
     * Handles one request that reached the server. `call` runs the core; `countCommits` says how
     * many changes its result committed; `reply` sends the answer back (over the network). Returns
     * without replying when the process is down or crashes after committing.
     */
    handle(token, call, countCommits, reply, canCrash) {
        this.stats.requests++;
        const now = this.env.clock.now();
        if (now < this.downUntil) {
            this.stats.refusedWhileDown++;
            return;
        }
        if (token === null || token.expiresAt <= now) {
            this.stats.unauthorized++;
            reply({ status: 401 });
            return;
        }
        const fail = (err) => {
            const message = err instanceof Error ? err.message : String(err);
            this.stats.serverErrors++;
            this.history.add({ k: 'fault', t: this.env.clock.now(), fault: 'server-exception', target: 'server', detail: message.slice(0, 200) });
            reply({ status: 500, message });
        };
        let pending;
        try {
            pending = call(token.ctx);
        }
        catch (err) {
            fail(err);
            return;
        }
        if (pending instanceof Promise)
            pending = pending.catch((err) => {
                fail(err);
                return SWALLOWED;
            });
        return andThen(pending, (result) => {
            if (result === SWALLOWED)
                return;
            const n = countCommits(result);
            this.noteCommits(token.ctx.tenantId, n);
            if (canCrash && this.crashRandom.chance(this.crashProbability)) {
                const downFor = this.crashRandom.int(500, 30_000);
                this.downUntil = this.env.clock.now() + downFor;
                this.stats.crashes++;
                this.history.add({ k: 'fault', t: this.env.clock.now(), fault: 'server-crash', target: 'server', detail: downFor });
                this.relay?.crash();
                this.relay?.kick();
                return;
            }
            reply({ status: 200, value: result });
        });
    }
}
