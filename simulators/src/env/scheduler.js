class ScheduledEvent {
    at;
    order;
    action;
    cancelled = false;
    constructor(at, order, action) {
        this.at = at;
        this.order = order;
        this.action = action;
    }
    cancel() {
        this.cancelled = true;
    }
}
/** Priority queue of events over a {@link VirtualClock}. */
export class Scheduler {
    clock;
    heap = [];
    nextOrder = 0;
    stopRequested = false;
    /** Events executed so far (cancelled ones excluded). */
    executed = 0;
    constructor(clock) {
        this.clock = clock;
    }
    /** Schedules `action` at absolute virtual time `at` (clamped to now). */
    at(at, action) {
        const now = this.clock.now();
        const ev = new ScheduledEvent(at < now ? now : at, this.nextOrder++, action);
        this.push(ev);
        return ev;
    }
    /** Schedules `action` after `delayMs` of virtual time. */
    after(delayMs, action) {
        return this.at(this.clock.now() + (delayMs > 0 ? delayMs : 0), action);
    }
    /** Current virtual time. */
    now() {
        return this.clock.now();
    }
    /** Number of pending (possibly cancelled) events. */
    get size() {
        return this.heap.length;
    }
    /** Asks a running {@link run} to return after the current event. */
    stop() {
        this.stopRequested = true;
    }
    /**
     * Runs events in order until none is left, the next one is later than `until`, `stop()` is
     * called, or `maxEvents` have run. The clock ends at the last event's time (or `until` when the
     * deadline stopped it).
     */
    async run(until = Number.POSITIVE_INFINITY, maxEvents = Number.POSITIVE_INFINITY) {
        this.stopRequested = false;
        let budget = maxEvents;
        const heap = this.heap;
        while (heap.length > 0) {
            const top = heap[0];
            if (top.at > until) {
                this.clock.advanceTo(until);
                return 'deadline';
            }
            this.pop();
            if (top.cancelled)
                continue;
            this.clock.advanceTo(top.at);
            this.executed++;
            const r = top.action();
            if (r !== undefined)
                await r;
            if (this.stopRequested)
                return 'stopped';
            if (--budget <= 0)
                return 'event-budget';
        }
        if (until !== Number.POSITIVE_INFINITY)
            this.clock.advanceTo(until);
        return 'idle';
    }
    /**
     * Shifts every pending event later by `deltaMs` and moves the clock with them: a time warp in
     * which the whole world sleeps (used to jump past retention and de-duplication windows).
     * Every key moves by the same delta, so the heap order stays valid.
     */
    warp(deltaMs) {
        for (const e of this.heap)
            e.at += deltaMs;
        this.clock.advanceTo(this.clock.now() + deltaMs);
    }
    less(a, b) {
        return a.at < b.at || (a.at === b.at && a.order < b.order);
    }
    push(ev) {
        const heap = this.heap;
        heap.push(ev);
        let i = heap.length - 1;
        while (i > 0) {
            const parent = (i - 1) >> 1;
            const p = heap[parent];
            if (!this.less(ev, p))
                break;
            heap[i] = p;
            i = parent;
        }
        heap[i] = ev;
    }
    pop() {
        const heap = this.heap;
        const last = heap.pop();
        if (heap.length === 0)
            return;
        let i = 0;
        const n = heap.length;
        for (;;) {
            const l = 2 * i + 1;
            if (l >= n)
                break;
            const r = l + 1;
            let c = l;
            if (r < n && this.less(heap[r], heap[l]))
                c = r;
            if (!this.less(heap[c], last))
                break;
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = last;
    }
}
