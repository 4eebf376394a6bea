/**
 * Virtual time. The simulated world never reads the platform clock: the scheduler moves this clock
 * to the time of the next event, so idle hours cost nothing.
 */
/** Where every simulation's virtual clock starts: 2026-01-01T00:00:00Z. */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 1);
/** A clock that only moves when the scheduler advances it. */
export class VirtualClock {
    t;
    constructor(startMs = SIM_EPOCH_MS) {
        this.t = startMs;
    }
    /** Current virtual time in epoch milliseconds. */
    now() {
        return this.t;
    }
    /** Current virtual time as an RFC 3339 string. */
    isoNow() {
        return new Date(this.t).toISOString();
    }
    /** Moves the clock forward; time never runs backwards. */
    advanceTo(t) {
        if (t > this.t)
            this.t = t;
    }
}
/** A device clock: the virtual clock seen through a fixed skew (client clock skew fault). */
export class SkewedClock {
    base;
    skewMs;
    constructor(base, 
    /** Milliseconds added to the true time (negative: the device is behind). */
    skewMs) {
        this.base = base;
        this.skewMs = skewMs;
    }
    now() {
        return this.base.now() + this.skewMs;
    }
}
