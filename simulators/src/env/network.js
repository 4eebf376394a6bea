const QUIET = { drop: 0, duplicate: 0, delay: 0, maxExtraDelayMs: 0 };
/** A network that delivers everything once, in latency order. */
export const NO_NETWORK_FAULTS = { request: QUIET, response: QUIET, publish: QUIET, ack: QUIET };
/** Base one-way latency range, ms. */
const MIN_LATENCY_MS = 2;
const MAX_LATENCY_MS = 40;
/** Seeded message delivery with faults and partitions. */
export class Network {
    scheduler;
    onFault;
    faults;
    latency;
    dropRandom;
    duplicateRandom;
    delayRandom;
    /** endpoint → virtual time until which it is cut off. */
    partitionedUntil = new Map();
    /** Messages sent, delivered, lost (any cause). */
    stats = { sent: 0, delivered: 0, lost: 0 };
    constructor(scheduler, random, faults, onFault) {
        this.scheduler = scheduler;
        this.onFault = onFault;
        this.faults = faults;
        this.latency = random.fork('latency');
        this.dropRandom = random.fork('drop');
        this.duplicateRandom = random.fork('duplicate');
        this.delayRandom = random.fork('delay');
    }
    /** Replaces the fault probabilities (the liveness phase heals the network this way). */
    setFaults(faults) {
        this.faults = faults;
    }
    /** Cuts `endpoint` off until virtual time `untilMs` (extends an existing cut). */
    partition(endpoint, untilMs) {
        const cur = this.partitionedUntil.get(endpoint);
        if (untilMs > this.nowOf() && (cur === undefined || cur < untilMs))
            this.partitionedUntil.set(endpoint, untilMs);
    }
    /** Ends every partition now. */
    healAll() {
        this.partitionedUntil.clear();
    }
    /** Whether `endpoint` is cut off at `nowMs` (default: now). */
    isPartitioned(endpoint, nowMs = this.nowOf()) {
        const until = this.partitionedUntil.get(endpoint);
        if (until === undefined)
            return false;
        if (until <= nowMs) {
            this.partitionedUntil.delete(endpoint);
            return false;
        }
        return true;
    }
    /**
     * Sends one message over `link` to or from `endpoint`; `deliver` runs at the receiving side when
     * (and as often as) it arrives.
     */
    send(link, endpoint, deliver) {
        this.stats.sent++;
        const f = this.faults[link];
        if (this.partitionedUntil.size > 0 && this.isPartitioned(endpoint, this.nowOf())) {
            this.stats.lost++;
            this.onFault({ fault: 'partitioned', link, endpoint });
            return;
        }
        if (this.dropRandom.chance(f.drop)) {
            this.stats.lost++;
            this.onFault({ fault: 'drop', link, endpoint });
            return;
        }
        let delay = this.latency.int(MIN_LATENCY_MS, MAX_LATENCY_MS);
        if (this.delayRandom.chance(f.delay)) {
            const extra = this.delayRandom.int(1, Math.max(1, f.maxExtraDelayMs));
            delay += extra;
            this.onFault({ fault: 'delay', link, endpoint, extraDelayMs: extra });
        }
        this.deliverAfter(delay, endpoint, link, deliver);
        if (this.duplicateRandom.chance(f.duplicate)) {
            const again = delay + this.duplicateRandom.int(1, Math.max(1, f.maxExtraDelayMs, MAX_LATENCY_MS));
            this.onFault({ fault: 'duplicate', link, endpoint });
            this.deliverAfter(again, endpoint, link, deliver);
        }
    }
    deliverAfter(delay, endpoint, link, deliver) {
        this.scheduler.after(delay, () => {
            // A partition that started while the message was in flight loses it too.
            if (this.partitionedUntil.size > 0 && this.isPartitioned(endpoint, this.nowOf())) {
                this.stats.lost++;
                this.onFault({ fault: 'partitioned', link, endpoint });
                return;
            }
            this.stats.delivered++;
            return deliver();
        });
    }
    nowOf() {
        return this.scheduler.now();
    }
}
