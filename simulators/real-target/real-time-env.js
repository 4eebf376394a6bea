import { createRandom } from '../src/env/random.js';
import { safeClearTimeout, safeSetTimeout } from './interceptors/_internals/handlers.js';
/** Clock, seeded randomness and compressed real timers; {@link dispose} cancels every pending timer. */
export class RealTimeEnv {
    clock;
    random;
    scheduler;
    timeScale;
    /** Errors thrown by timer actions (a run with any is inconclusive). */
    errors = [];
    timers = new Set();
    realOrigin;
    virtualOrigin;
    disposed = false;
    constructor(options) {
        const scale = options.timeScale ?? 100;
        if (!(Number.isFinite(scale) && scale >= 1))
            throw new RangeError(`timeScale must be a number >= 1, got ${scale}`);
        this.timeScale = scale;
        this.realOrigin = performance.now();
        this.virtualOrigin = options.startMs ?? Date.now();
        this.random = createRandom(options.seed);
        this.clock = { now: () => this.now() };
        this.scheduler = { after: (delayMs, action) => this.after(delayMs, action) };
    }
    /** Virtual now, epoch ms (whole milliseconds). */
    now() {
        return this.virtualOrigin + Math.floor((performance.now() - this.realOrigin) * this.timeScale);
    }
    /** Real milliseconds since the env was created. */
    elapsedRealMs() {
        return performance.now() - this.realOrigin;
    }
    /** Runs `action` after `delayMs` of virtual time (`delayMs / timeScale` real ms). */
    after(delayMs, action) {
        const at = this.now() + Math.max(0, delayMs);
        let cancelled = false;
        let fired = false;
        const handle = {
            at,
            get cancelled() {
                return cancelled;
            },
            cancel: () => {
                if (cancelled || fired)
                    return;
                cancelled = true;
                safeClearTimeout(id);
                this.timers.delete(id);
            },
        };
        if (this.disposed) {
            cancelled = true;
            return handle;
        }
        const id = safeSetTimeout(() => {
            this.timers.delete(id);
            if (cancelled || this.disposed)
                return;
            fired = true; // as in the simulator's scheduler: a fired timer is not "cancelled"
            try {
                action();
            }
            catch (err) {
                this.errors.push(err);
            }
        }, Math.max(0, delayMs) / this.timeScale);
        this.timers.add(id);
        return handle;
    }
    /** Cancels every pending timer; later `after` calls schedule nothing. */
    dispose() {
        this.disposed = true;
        for (const id of this.timers)
            safeClearTimeout(id);
        this.timers.clear();
    }
}
