/**
 * Greedy shrinking of one large failing scenario (the `simulate` command's runs are too big for
 * fast-check's generator-driven shrinking): try simpler variants — fewer devices, fewer mutations,
 * shorter phases, one fault class off — and keep any that still fails the same checker. The
 * attempt budget is a count, not a time, so shrinking is reproducible too.
 */
import { FAULT_NAMES } from '../faults/fault-menu.js';
/** Simpler variants of `s`, most aggressive first. */
export function simplerScenarios(s) {
    const out = [];
    const withTotals = (clients, mutations, safetyMs, clones) => ({
        ...s,
        clients,
        clones,
        mutations,
        safetyMs,
        captureGapMs: Math.max(1, Math.round((clients * safetyMs) / Math.max(1, mutations))),
    });
    if (s.clients > 2) {
        const c = Math.max(2, Math.floor(s.clients / 2));
        out.push(withTotals(c, Math.max(1, Math.floor(s.mutations / 2)), s.safetyMs, Math.min(s.clones, Math.max(0, c - 1))));
    }
    if (s.mutations > 1)
        out.push(withTotals(s.clients, Math.max(1, Math.floor(s.mutations / 2)), s.safetyMs, s.clones));
    if (s.safetyMs > 600_000)
        out.push(withTotals(s.clients, s.mutations, Math.floor(s.safetyMs / 2), s.clones));
    for (const name of FAULT_NAMES)
        if (s.faults[name] > 0)
            out.push({ ...s, faults: { ...s.faults, [name]: 0 } });
    if (s.clients > 2)
        out.push(withTotals(s.clients - 1, s.mutations, s.safetyMs, Math.min(s.clones, s.clients - 2)));
    return out;
}
/**
 * Shrinks `start` while `fails(candidate)` holds, trying at most `maxAttempts` candidates.
 * Returns the smallest failing scenario found (possibly `start`) and the attempts used.
 */
export async function shrinkScenario(start, fails, maxAttempts) {
    let best = start;
    let attempts = 0;
    let improved = true;
    while (improved && attempts < maxAttempts) {
        improved = false;
        for (const candidate of simplerScenarios(best)) {
            if (attempts >= maxAttempts)
                break;
            attempts++;
            if (await fails(candidate)) {
                best = candidate;
                improved = true;
                break;
            }
        }
    }
    return { scenario: best, attempts };
}
