/**
 * The fast-check arbitrary of swarm scenarios: small worlds (a few devices and tenants, hundreds to
 * a few thousand mutations, hours of virtual time) with every enabled fault class at an intensity
 * level drawn per run. Shrinking walks each knob toward its simplest value: fewer devices, fewer
 * mutations, shorter phases, fault levels toward 0 (off).
 */
import fc from 'fast-check';
import { FAULT_MAX, FAULT_NAMES } from '../faults/fault-menu.js';
const HOUR = 3_600_000;
/** Scenarios within `bounds`. */
export function scenarioArbitrary(bounds) {
    const levels = {};
    for (const name of FAULT_NAMES)
        levels[name] = bounds.faults.has(name) ? fc.integer({ min: 0, max: 4 }) : fc.constant(0);
    return fc
        .record({
        seed: fc.integer(),
        clients: fc.integer({ min: bounds.minClients ?? 2, max: Math.max(bounds.minClients ?? 2, bounds.maxClients) }),
        tenants: fc.integer({ min: 2, max: 3 }),
        clones: fc.integer({ min: 0, max: 2 }),
        mutations: fc.integer({ min: bounds.minMutations ?? 1, max: Math.max(bounds.minMutations ?? 1, bounds.maxMutations) }),
        hours: fc.integer({ min: 1, max: bounds.maxHours ?? 6 }),
        levels: fc.record(levels),
        resolveLevel: fc.integer({ min: 0, max: 4 }),
    })
        .map(({ seed, clients, tenants, clones, mutations, hours, levels: lv, resolveLevel }) => {
        const faults = {};
        for (const name of FAULT_NAMES)
            faults[name] = (FAULT_MAX[name] * (lv[name] ?? 0)) / 4;
        const safetyMs = hours * HOUR;
        const total = clients + clones;
        return {
            seed,
            clients: total,
            tenants,
            clones,
            safetyMs,
            livenessMs: HOUR,
            mutations,
            captureGapMs: Math.max(1, Math.round((total * safetyMs) / Math.max(1, mutations))),
            faults: faults,
            resolveRate: 0.2 + resolveLevel * 0.2,
            defect: bounds.defect ?? null,
        };
    });
}
