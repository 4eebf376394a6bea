import { ReplicaDigest } from '../history/replica-digest.js';
import { createRandom } from '../env/random.js';
/** Builds a clean history of `mutations` mutations over `devices` devices and `tenants` tenants. */
export function syntheticHistory(mutations, devices = 1000, tenants = 125, seed = 1) {
    const r = createRandom(seed);
    const out = [{ k: 'phase', t: 0, phase: 'safety' }];
    const seq = new Array(devices).fill(0);
    const aggsPerTenant = Math.max(1, Math.floor(mutations / tenants / 5));
    const aggIds = Array.from({ length: tenants }, () => Array.from({ length: aggsPerTenant }, () => 'note:' + r.uuid()));
    const versions = new Map();
    const logs = [];
    // One string per device and tenant, shared by all their entries — as in a recorded run.
    const devNames = Array.from({ length: devices }, (_, d) => `d${d}`);
    const tenantNames = Array.from({ length: tenants }, (_, t) => `tenant-${t}`);
    const devOf = (d) => devNames[d];
    const tenantOf = (d) => tenantNames[d % tenants];
    let req = 0;
    for (let i = 0; i < mutations; i++) {
        const d = i % devices;
        const ti = d % tenants;
        const dev = devOf(d);
        const tenant = tenantOf(d);
        const cmid = r.uuid();
        const agg = aggIds[ti][r.int(0, aggsPerTenant - 1)];
        const s = ++seq[d];
        out.push({ k: 'capture', t: i, dev, tenant, actor: `user-${d}`, client: `c-${d}`, cmid, seq: s, agg, op: 'append', base: 0 });
        out.push({ k: 'push', t: i, dev, tenant, req: ++req, cmids: [cmid] });
        const key = tenant + '\u0000' + agg;
        const v = (versions.get(key) ?? 0) + 1;
        versions.set(key, v);
        const eventId = r.uuid();
        out.push({ k: 'outcome', t: i, dev, tenant, req, cmid, status: 'applied', version: v, eventId });
        if (i % 10 === 0)
            out.push({ k: 'outcome', t: i, dev, tenant, req, cmid, status: 'applied', version: v, eventId, replayed: true });
        out.push({ k: 'event', t: i, id: eventId, subject: `sync.${tenant}.clinic.note.appended`, tenant, cmid, agg, version: v, type: 'org.syncproof.clinic.note.appended' });
        logs.push({ k: 'log', tenant, agg, version: v, op: 'append', eventId, cmid });
    }
    out.push({ k: 'phase', t: mutations, phase: 'final' });
    for (const l of logs)
        out.push(l);
    const digests = new Map();
    for (const [key, v] of versions) {
        const [tenant, agg] = key.split('\u0000');
        out.push({ k: 'final-agg', tenant, agg, version: v });
        let dg = digests.get(tenant);
        if (dg === undefined)
            digests.set(tenant, (dg = new ReplicaDigest()));
        dg.add(agg, v);
    }
    for (let d = 0; d < devices; d++) {
        const dg = digests.get(tenantOf(d)) ?? new ReplicaDigest();
        out.push({ k: 'final-replica', dev: devOf(d), tenant: tenantOf(d), n: dg.n, digest: dg.toString() });
        out.push({ k: 'final-queue', dev: devOf(d), tenant: tenantOf(d), pending: [] });
    }
    return out;
}
