/**
 * What the fault interceptors share: the error a client sees when a fault ate its request or its
 * answer (stable `SIM_E_*` codes, like undici's `UND_ERR_*`), the report every injected fault
 * emits (the run records it in its history), and seeded randomness from the run seed.
 */
import { createRandom } from '../../src/env/random.js';
/**
 * A network failure made on purpose. The client cannot tell it from a real one (it surfaces as a
 * rejected request); the code says which fault it was.
 */
export class InjectedFaultError extends Error {
    code;
    name = 'InjectedFaultError';
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
/** Whether `err` was injected by a fault interceptor (as opposed to a real network failure). */
export function isInjectedFault(err) {
    return err instanceof InjectedFaultError;
}
/** The labelled stream of one interceptor. */
export function faultRandom(seed, label) {
    return (typeof seed === 'number' ? createRandom(seed) : seed).fork(label);
}
/** Probability in [0, 1], or a `RangeError` naming the option. */
export function checkProbability(name, p) {
    if (!(p >= 0 && p <= 1))
        throw new RangeError(`${name} must be a probability in [0, 1], got ${p}`);
    return p;
}
/** Non-negative finite milliseconds, or a `RangeError` naming the option. */
export function checkMs(name, ms) {
    if (!(Number.isFinite(ms) && ms >= 0))
        throw new RangeError(`${name} must be a non-negative number of ms, got ${ms}`);
    return ms;
}
