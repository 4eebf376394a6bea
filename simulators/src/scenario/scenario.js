/**
 * A scenario: the few knobs that, with the seed, determine a whole simulation. Everything finer
 * (which device captures what, when partitions start, which message is dropped) is drawn from the
 * seed at run time, so a scenario is small JSON that fast-check can shrink and a repro file can hold.
 */
import { FAULT_MAX, FAULT_NAMES, NO_FAULTS } from '../faults/fault-menu.js';
import { createRandom } from '../env/random.js';
const HOUR = 3_600_000;
/** Default tenants for a number of devices: a handful per tenant keeps pulls proportionate. */
export function defaultTenants(clients) {
    return clients <= 8 ? 2 : Math.max(2, Math.ceil(clients / 8));
}
/**
 * Builds the scenario the CLI runs: fixed sizes from the flags, fault intensities drawn from the
 * seed for each enabled class (swarm testing).
 */
export function scenarioFromOptions(o) {
    const r = createRandom(o.seed).fork('scenario');
    const safetyMs = Math.max(1, Math.round(o.hours * HOUR));
    const mutations = o.mutations ?? Math.max(1, Math.round((o.clients * 1000 * safetyMs) / (24 * HOUR)));
    const faults = { ...NO_FAULTS };
    for (const name of FAULT_NAMES) {
        const level = r.int(1, 4); // drawn for every class so enabling one never shifts another
        if (o.faults.has(name))
            faults[name] = (FAULT_MAX[name] * level) / 4;
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
export function validateScenario(s) {
    const errors = [];
    if (typeof s !== 'object' || s === null)
        return ['scenario must be an object'];
    const o = s;
    const int = (k, min) => {
        if (!Number.isInteger(o[k]) || o[k] < min)
            errors.push(`scenario.${k} must be an integer >= ${min}`);
    };
    int('seed', -2147483648);
    int('clients', 1);
    int('tenants', 1);
    int('clones', 0);
    int('safetyMs', 1);
    int('livenessMs', 1);
    int('mutations', 0);
    int('captureGapMs', 1);
    if (typeof o.resolveRate !== 'number')
        errors.push('scenario.resolveRate must be a number');
    if (o.defect !== null && typeof o.defect !== 'string')
        errors.push('scenario.defect must be a string or null');
    const f = o.faults;
    if (typeof f !== 'object' || f === null)
        errors.push('scenario.faults must be an object');
    else
        for (const n of FAULT_NAMES)
            if (typeof f[n] !== 'number')
                errors.push(`scenario.faults.${n} must be a number`);
    return errors;
}
