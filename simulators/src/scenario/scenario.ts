/**
 * A scenario: the few knobs that, with the seed, determine a whole simulation. Everything finer
 * (which device captures what, when partitions start, which message is dropped) is drawn from the
 * seed at run time, so a scenario is small JSON that fast-check can shrink and a repro file can hold.
 */
import { type FaultName, type FaultSettings, FAULT_MAX, FAULT_NAMES, NO_FAULTS } from '../faults/fault-menu.js';
import { createRandom } from '../env/random.js';

/** Everything a simulation run needs besides the target. */
export interface Scenario {
  /** Drives every random choice of the run. */
  readonly seed: number;
  /** Devices: one local store per (tenant, actor). */
  readonly clients: number;
  readonly tenants: number;
  /**
   * Devices enrolled in a second tenant as byte-identical clones of a device of the first (same
   * actor name, same random stream): their mutation ids collide across tenants, which is how the
   * idempotency scope (tenantId, clientMutationId) gets exercised.
   */
  readonly clones: number;
  /** Virtual length of the safety phase (faults on), ms. */
  readonly safetyMs: number;
  /** Virtual bound of the liveness phase (faults healed), ms. */
  readonly livenessMs: number;
  /** Cap on captured mutations over all devices. */
  readonly mutations: number;
  /** Mean virtual time between two captures of one device, ms. */
  readonly captureGapMs: number;
  /** Fault intensities (0 = off). */
  readonly faults: FaultSettings;
  /** Probability that the tenant admin resolves an open conflict on one sweep during safety. */
  readonly resolveRate: number;
  /** Planted defect switched on in the reference core (tests of the simulator itself), or null. */
  readonly defect: string | null;
}

/** Options of {@link scenarioFromOptions}, as the CLI states them. */
export interface ScenarioOptions {
  readonly seed: number;
  readonly clients: number;
  readonly hours: number;
  /** Total mutations; default about 1000 per client per simulated day. */
  readonly mutations?: number;
  readonly faults: ReadonlySet<FaultName>;
  readonly defect?: string | null;
}

const HOUR = 3_600_000;

/** Default tenants for a number of devices: a handful per tenant keeps pulls proportionate. */
export function defaultTenants(clients: number): number {
  return clients <= 8 ? 2 : Math.max(2, Math.ceil(clients / 8));
}

/**
 * Builds the scenario the CLI runs: fixed sizes from the flags, fault intensities drawn from the
 * seed for each enabled class (swarm testing).
 */
export function scenarioFromOptions(o: ScenarioOptions): Scenario {
  const r = createRandom(o.seed).fork('scenario');
  const safetyMs = Math.max(1, Math.round(o.hours * HOUR));
  const mutations = o.mutations ?? Math.max(1, Math.round((o.clients * 1000 * safetyMs) / (24 * HOUR)));
  const faults: Record<FaultName, number> = { ...NO_FAULTS };
  for (const name of FAULT_NAMES) {
    const level = r.int(1, 4); // drawn for every class so enabling one never shifts another
    if (o.faults.has(name)) faults[name] = (FAULT_MAX[name] * level) / 4;
  }
  const tenants = defaultTenants(o.clients);
  return {
    seed: o.seed,
    clients: o.clients,
    tenants,
    clones: o.clients >= 4 ? Math.max(1, Math.floor(o.clients / 50)) : 0,
    safetyMs,
    livenessMs: HOUR,
    mutations,
    captureGapMs: Math.max(1, Math.round((o.clients * safetyMs) / mutations)),
    faults,
    resolveRate: 0.5,
    defect: o.defect ?? null,
  };
}

/** Problems with a scenario read from a repro file (empty = valid). */
export function validateScenario(s: unknown): string[] {
  const errors: string[] = [];
  if (typeof s !== 'object' || s === null) return ['scenario must be an object'];
  const o = s as Record<string, unknown>;
  const int = (k: string, min: number): void => {
    if (!Number.isInteger(o[k]) || (o[k] as number) < min) errors.push(`scenario.${k} must be an integer >= ${min}`);
  };
  int('seed', -2147483648);
  int('clients', 1);
  int('tenants', 1);
  int('clones', 0);
  int('safetyMs', 1);
  int('livenessMs', 1);
  int('mutations', 0);
  int('captureGapMs', 1);
  if (typeof o.resolveRate !== 'number') errors.push('scenario.resolveRate must be a number');
  if (o.defect !== null && typeof o.defect !== 'string') errors.push('scenario.defect must be a string or null');
  const f = o.faults as Record<string, unknown> | undefined;
  if (typeof f !== 'object' || f === null) errors.push('scenario.faults must be an object');
  else for (const n of FAULT_NAMES) if (typeof f[n] !== 'number') errors.push(`scenario.faults.${n} must be a number`);
  return errors;
}
