import { failureReason, jsonRequest } from './json-http.js';
const RESOLUTIONS = ['take-client', 'keep-server'];
/** Sweep intervals in virtual ms (the env compresses them). */
const SAFETY_SWEEP_MS = [60_000, 180_000];
const LIVENESS_SWEEP_MS = [2_000, 5_000];
/** One tenant's conflict resolver. */
export class ConflictResolver {
    o;
    dirty = false;
    sweeping = false;
    idleSweeps = 0;
    tries = new Map();
    /** Open conflicts seen by the last complete sweep, and the epoch it started in. */
    lastOpen = -1;
    lastEpoch = -1;
    constructor(o) {
        this.o = o;
    }
    /** Starts the sweep loop. */
    start() {
        this.schedule();
    }
    /** A user reported a conflict or a blocked change. */
    notify() {
        this.dirty = true;
    }
    /** Liveness: sweep now. */
    wake() {
        this.dirty = true;
        this.o.env.after(0, () => void this.sweep());
    }
    /** True when a sweep started in `epoch` found no open conflict. */
    isQuiet(epoch) {
        return this.lastOpen === 0 && this.lastEpoch === epoch;
    }
    schedule() {
        const phase = this.o.phase();
        if (phase === 'final')
            return;
        const [min, max] = phase === 'safety' ? SAFETY_SWEEP_MS : LIVENESS_SWEEP_MS;
        this.o.env.after(this.o.random.int(min, max), () => {
            void this.sweep().finally(() => this.schedule());
        });
    }
    async sweep() {
        const phase = this.o.phase();
        if (phase === 'final' || this.sweeping)
            return;
        this.idleSweeps++;
        if (phase === 'safety' && !this.dirty && this.lastOpen === 0 && this.idleSweeps < 4)
            return;
        this.sweeping = true;
        this.dirty = false;
        this.idleSweeps = 0;
        const epoch = this.o.epoch();
        try {
            const open = await this.listOpen();
            if (open === undefined)
                return;
            const all = this.o.phase() !== 'safety';
            await Promise.all(open.filter(() => all || this.o.random.chance(this.o.resolveRate)).map((c) => this.resolve(c)));
            this.lastOpen = open.length;
            this.lastEpoch = epoch;
        }
        finally {
            this.sweeping = false;
        }
    }
    async listOpen() {
        try {
            const token = await this.o.tokens(this.o.lister);
            const a = await jsonRequest(this.o.dispatcher, this.o.endpoint, { method: 'GET', path: `/v1/sync/${this.o.module}/conflicts?status=open`, token });
            const list = a.body?.conflicts;
            if (a.status !== 200 || !Array.isArray(list))
                return undefined;
            return list
                .filter((c) => typeof c.conflictId === 'string' && c.status !== 'resolved')
                .map((c) => ({ conflictId: c.conflictId, clientId: String(c.clientId) }));
        }
        catch {
            return undefined;
        }
    }
    async resolve(c) {
        const who = this.o.admin ?? this.o.ownerOf(c.clientId);
        if (who === undefined)
            return;
        const n = this.tries.get(c.conflictId) ?? this.o.random.int(0, 1);
        this.tries.set(c.conflictId, n + 1);
        const resolution = RESOLUTIONS[n % RESOLUTIONS.length];
        const record = (status, version) => this.o.history.add({
            k: 'resolve',
            t: this.o.env.now(),
            tenant: this.o.tenant,
            conflictId: c.conflictId,
            resolution,
            status,
            ...(version !== undefined ? { version } : {}),
        });
        try {
            const token = await this.o.tokens(who);
            const a = await jsonRequest(this.o.dispatcher, this.o.endpoint, {
                method: 'POST',
                path: `/v1/sync/${this.o.module}/conflicts/${encodeURIComponent(c.conflictId)}/resolve`,
                token,
                body: { resolution },
            });
            if (this.o.phase() === 'final')
                return;
            if (a.status === 200) {
                const v = a.body?.newVersion;
                record('resolved', typeof v === 'number' ? v : undefined);
            }
            else {
                const type = a.body?.type;
                record(typeof type === 'string' ? type.slice(type.lastIndexOf('/') + 1) : `http-${a.status}`);
            }
        }
        catch (err) {
            if (this.o.phase() !== 'final')
                record(`unknown:${failureReason(err)}`);
        }
    }
}
