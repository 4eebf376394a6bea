/**
 * Who the devices of a real-target run are, from a conformance target profile and its token
 * source. When the source can mint tokens for any principal (a signing key or a dev-token
 * endpoint), the run gets tenants of its own — fresh ids, nobody else writes there, so every
 * change in them is judged. Otherwise it works in the profile's two shared tenants as their
 * declared principals and judges only the aggregates it created (`own-aggregates` scope).
 */
import { randomBytes } from 'node:crypto';
/** Principals the devices never act as: they cannot write. */
const NON_WRITERS = new Set(['auditor']);
/** Tenant id of the run's own tenant number `n`: `rt-<runId>-<salt>-<n>` (TR §1.3 charset). */
function ownTenantId(runId, salt, n) {
    return `rt-${runId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}-${salt}-${n}`;
}
/** Devices, tokens and workload for a run against `profile`. */
export function profileRunSetup(profile, source, options) {
    const workload = profile.aggregates.map((a) => ({ type: a.type, examplePayloads: a.examplePayloads }));
    const base = { module: profile.module, workload, ...(profile.headers ? { headers: profile.headers } : {}) };
    if (source.capabilities.anyPrincipal) {
        const salt = randomBytes(3).toString('hex');
        const writerRoles = (profile.tenants.tenantA.principals['clinician']?.roles ?? ['clinician']);
        const actors = Array.from({ length: Math.max(1, options.actorsPerTenant ?? 2) }, (_, i) => ({ actor: `rt-user-${i + 1}`, roles: writerRoles }));
        const tenants = [0, 1].map((n) => ({ id: ownTenantId(options.runId, salt, n), actors, admin: { actor: 'rt-admin', roles: ['admin'] } }));
        return {
            ...base,
            tenants,
            tokens: (who) => source.mint({ tenantId: who.tenant, sub: who.actor, roles: who.roles }),
            scope: 'tenant',
            clonesPossible: true,
        };
    }
    const keys = ['tenantA', 'tenantB'];
    const named = new Map();
    const tenants = keys.map((key) => {
        const spec = profile.tenants[key];
        const actors = [];
        let admin;
        for (const [name, p] of Object.entries(spec.principals)) {
            named.set(`${spec.id}\u0000${p.sub}`, { tenant: key, principal: name });
            if (p.roles.includes('admin'))
                admin ??= { actor: p.sub, roles: p.roles };
            else if (!p.roles.every((r) => NON_WRITERS.has(r)))
                actors.push({ actor: p.sub, roles: p.roles });
        }
        return { id: spec.id, actors: actors.slice(0, Math.max(1, options.actorsPerTenant ?? actors.length)), ...(admin ? { admin } : {}) };
    });
    return {
        ...base,
        tenants,
        tokens: async (who) => {
            const p = named.get(`${who.tenant}\u0000${who.actor}`);
            if (p === undefined)
                throw new Error(`profile has no principal ${who.actor} in tenant ${who.tenant}`);
            return source.token(p.tenant, p.principal);
        },
        scope: 'own-aggregates',
        clonesPossible: false,
    };
}
