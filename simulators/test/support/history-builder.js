import { ReplicaDigest } from '../../src/history/replica-digest.js';
/** Builds a history line by line. */
export class HistoryBuilder {
    entries = [];
    t = 1_000;
    seqs = new Map();
    req = 0;
    /** A capture by `dev` (tenant derived as given). */
    capture(dev, tenant, cmid, agg, op = 'update') {
        const seq = (this.seqs.get(dev) ?? 0) + 1;
        this.seqs.set(dev, seq);
        this.entries.push({ k: 'capture', t: this.t++, dev, tenant, actor: `actor-${dev}`, client: `client-${dev}`, cmid, seq, agg, op, base: 0 });
        return this;
    }
    push(dev, tenant, cmids) {
        this.entries.push({ k: 'push', t: this.t++, dev, tenant, req: ++this.req, cmids });
        return this;
    }
    applied(dev, tenant, cmid, version, eventId = `ev-${tenant}-${cmid}`, replayed = false) {
        this.entries.push({
            k: 'outcome',
            t: this.t++,
            dev,
            tenant,
            req: this.req,
            cmid,
            status: 'applied',
            version,
            eventId,
            ...(replayed ? { replayed: true } : {}),
        });
        return this;
    }
    outcome(dev, tenant, cmid, status, problem) {
        this.entries.push({ k: 'outcome', t: this.t++, dev, tenant, req: this.req, cmid, status, ...(problem ? { problem } : {}) });
        return this;
    }
    surface(dev, tenant, cmid, reason) {
        this.entries.push({ k: 'surface', t: this.t++, dev, tenant, cmid, reason });
        return this;
    }
    event(tenant, cmid, agg, version, opts = {}) {
        const [type] = agg.split(':');
        this.entries.push({
            k: 'event',
            t: this.t++,
            id: opts.id ?? `ev-${tenant}-${cmid}`,
            subject: `sync.${opts.subjectTenant ?? tenant}.clinic.${type}.updated`,
            tenant,
            cmid,
            agg,
            version,
            type: `org.syncproof.clinic.${type}.updated`,
            ...(opts.redelivery ? { redelivery: true } : {}),
        });
        return this;
    }
    final() {
        this.entries.push({ k: 'phase', t: this.t++, phase: 'final' });
        return this;
    }
    log(tenant, cmid, agg, version, eventId = `ev-${tenant}-${cmid}`, op = 'update') {
        this.entries.push({ k: 'log', tenant, agg, version, op, eventId, cmid });
        return this;
    }
    finalAgg(tenant, agg, version) {
        this.entries.push({ k: 'final-agg', tenant, agg, version });
        return this;
    }
    replica(dev, tenant, pairs) {
        const d = new ReplicaDigest();
        for (const [agg, v] of pairs)
            d.add(agg, v);
        this.entries.push({ k: 'final-replica', dev, tenant, n: d.n, digest: d.toString() });
        return this;
    }
    queue(dev, tenant, pending = []) {
        this.entries.push({ k: 'final-queue', dev, tenant, pending });
        return this;
    }
    conflict(tenant, conflictId, cmid, agg, status, phi) {
        this.entries.push({ k: 'final-conflict', tenant, conflictId, cmid, agg, status, phi });
        return this;
    }
    audit(tenant, seq, conflictId, action = 'conflict-resolved') {
        this.entries.push({ k: 'audit', tenant, seq, action, conflictId, entity: null });
        return this;
    }
}
/**
 * A clean history: two tenants, one device each, every mutation applied, logged, published, and
 * both replicas caught up.
 */
export function cleanHistory() {
    const h = new HistoryBuilder();
    h.capture('d0', 'ta', 'm1', 'note:n1', 'create').capture('d0', 'ta', 'm2', 'note:n1', 'append');
    h.capture('d1', 'tb', 'm1', 'note:n1', 'create'); // same ids in another tenant: independent
    h.push('d0', 'ta', ['m1', 'm2']).applied('d0', 'ta', 'm1', 1).applied('d0', 'ta', 'm2', 2);
    h.push('d1', 'tb', ['m1']).applied('d1', 'tb', 'm1', 1);
    h.event('ta', 'm1', 'note:n1', 1).event('ta', 'm2', 'note:n1', 2).event('tb', 'm1', 'note:n1', 1);
    h.final();
    h.log('ta', 'm1', 'note:n1', 1).log('ta', 'm2', 'note:n1', 2).log('tb', 'm1', 'note:n1', 1);
    h.finalAgg('ta', 'note:n1', 2).finalAgg('tb', 'note:n1', 1);
    h.conflict('ta', 'c1', 'm9', 'patient:p1', 'resolved', true).audit('ta', 1, 'c1');
    h.replica('d0', 'ta', [['note:n1', 2]]).queue('d0', 'ta');
    h.replica('d1', 'tb', [['note:n1', 1]]).queue('d1', 'tb');
    return h;
}
