/**
 * Who the devices of a real-target run are, from a conformance target profile and its token
 * source. When the source can mint tokens for any principal (a signing key or a dev-token
 * endpoint), the run gets tenants of its own — fresh ids, nobody else writes there, so every
 * change in them is judged. Otherwise it works in the profile's two shared tenants as their
 * declared principals and judges only the aggregates it created (`own-aggregates` scope).
 */
import type { RealWorld } from './real-world.js';
import type { Role, TargetProfile } from '../../conformance/src/profile/target-profile.js';
import type { TenantKey, TokenSource } from '../../conformance/src/profile/token-source.js';
import type { WorkloadAggregate } from './example-planner.js';
import type { Principal, TokenProvider } from './http-device-link.js';
import type { RealTenant } from './run-real-target.js';

/** The part of {@link RealTargetOptions} a profile decides. */
export interface ProfileRunSetup {
  readonly module: string;
  readonly tenants: readonly RealTenant[];
  readonly tokens: TokenProvider;
  readonly scope: 'tenant' | 'own-aggregates';
  readonly workload: readonly WorkloadAggregate[];
  /** Clones across tenants are possible (actor names are the same in every tenant). */
  readonly clonesPossible: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Principals the devices never act as: they cannot write. */
const NON_WRITERS = new Set(['auditor']);

/** Tenant id of the run's own tenant number `n`: `rt-<runId>-<salt>-<n>` (TR §1.3 charset). */
function ownTenantId(runId: string, salt: string, n: number): string {
  return `rt-${runId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}-${salt}-${n}`;
}

/** Devices, tokens and workload for a run against `profile`. */
export function profileRunSetup(
  profile: TargetProfile,
  source: TokenSource,
  options: { runId: string; world: Pick<RealWorld, 'freshSalt'>; actorsPerTenant?: number },
): ProfileRunSetup {
  const workload: WorkloadAggregate[] = profile.aggregates.map((a) => ({ type: a.type, examplePayloads: a.examplePayloads }));
  const base = { module: profile.module, workload, ...(profile.headers ? { headers: profile.headers } : {}) };
  if (source.capabilities.anyPrincipal) {
    const salt = options.world.freshSalt(3);
    const writerRoles = (profile.tenants.tenantA.principals['clinician']?.roles ?? ['clinician']) as readonly Role[];
    const actors = Array.from({ length: Math.max(1, options.actorsPerTenant ?? 2) }, (_, i) => ({ actor: `rt-user-${i + 1}`, roles: writerRoles }));
    const tenants: RealTenant[] = [0, 1].map((n) => ({ id: ownTenantId(options.runId, salt, n), actors, admin: { actor: 'rt-admin', roles: ['admin'] } }));
    return {
      ...base,
      tenants,
      tokens: (who: Principal) => source.mint({ tenantId: who.tenant, sub: who.actor, roles: who.roles as readonly Role[] }),
      scope: 'tenant',
      clonesPossible: true,
    };
  }
  const keys: TenantKey[] = ['tenantA', 'tenantB'];
  const named = new Map<string, { tenant: TenantKey; principal: string }>();
  const tenants: RealTenant[] = keys.map((key) => {
    const spec = profile.tenants[key];
    const actors: { actor: string; roles: readonly string[] }[] = [];
    let admin: { actor: string; roles: readonly string[] } | undefined;
    for (const [name, p] of Object.entries(spec.principals)) {
      named.set(`${spec.id}\u0000${p.sub}`, { tenant: key, principal: name });
      if (p.roles.includes('admin')) admin ??= { actor: p.sub, roles: p.roles };
      else if (!p.roles.every((r) => NON_WRITERS.has(r))) actors.push({ actor: p.sub, roles: p.roles });
    }
    return { id: spec.id, actors: actors.slice(0, Math.max(1, options.actorsPerTenant ?? actors.length)), ...(admin ? { admin } : {}) };
  });
  return {
    ...base,
    tenants,
    tokens: async (who: Principal) => {
      const p = named.get(`${who.tenant}\u0000${who.actor}`);
      if (p === undefined) throw new Error(`profile has no principal ${who.actor} in tenant ${who.tenant}`);
      return source.token(p.tenant, p.principal);
    },
    scope: 'own-aggregates',
    clonesPossible: false,
  };
}
