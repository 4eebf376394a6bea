/**
 * The discrete-event scheduler: a binary heap of events keyed by (virtual time, insertion number).
 * Ties break by insertion order, so the run order depends only on what was scheduled, never on the
 * platform. Exactly one event runs at a time; an event that returns a promise is awaited before the
 * next one starts, which keeps async code (an async core) deterministic too.
 */
import type { VirtualClock } from './clock.js';

/** What an event does when it fires. */
export type EventAction = () => void | Promise<void>;

/** An event that is a call of a shared function with two arguments (no closure per event). */
export type EventCall<A, B> = (a: A, b: B) => void | Promise<void>;

/** A scheduled event; `cancel()` makes it a no-op (lazy deletion keeps the heap cheap). */
export interface TimerHandle {
  readonly at: number;
  cancel(): void;
  readonly cancelled: boolean;
}

class ScheduledEvent implements TimerHandle {
  cancelled = false;
  constructor(
    public at: number,
    readonly order: number,
    readonly action: EventCall<unknown, unknown>,
    readonly a: unknown,
    readonly b: unknown,
  ) {}
  cancel(): void {
    this.cancelled = true;
  }
}

/** Why {@link Scheduler.run} stopped. */
export type StopReason = 'idle' | 'deadline' | 'stopped' | 'event-budget';

/** Placeholder in freed heap cells. */
const RELEASED = new ScheduledEvent(0, -1, () => undefined, undefined, undefined);

/** Priority queue of events over a {@link VirtualClock}. */
export class Scheduler {
  /**
   * A binary heap kept as parallel arrays: the keys (time, insertion number) in typed arrays, so
   * sifting compares numbers in two contiguous arrays instead of dereferencing event objects.
   */
  private ats = new Float64Array(1024);
  private orders = new Float64Array(1024);
  private events: ScheduledEvent[] = [];
  private n = 0;
  private nextOrder = 0;
  private stopRequested = false;
  /** Events executed so far (cancelled ones excluded). */
  executed = 0;

  constructor(private readonly clock: VirtualClock) {}

  /** Schedules `action` at absolute virtual time `at` (clamped to now). */
  at(at: number, action: EventAction): TimerHandle {
    const now = this.clock.now();
    const ev = new ScheduledEvent(at < now ? now : at, this.nextOrder++, action, undefined, undefined);
    this.push(ev);
    return ev;
  }

  /** Schedules `action` after `delayMs` of virtual time. */
  after(delayMs: number, action: EventAction): TimerHandle {
    return this.at(this.clock.now() + (delayMs > 0 ? delayMs : 0), action);
  }

  /**
   * Schedules `fn(a, b)` after `delayMs`: the same as `after(delayMs, () => fn(a, b))` without
   * allocating a closure per event (for hot paths such as message delivery).
   */
  afterCall<A, B>(delayMs: number, fn: EventCall<A, B>, a: A, b: B): TimerHandle {
    const now = this.clock.now();
    const ev = new ScheduledEvent(now + (delayMs > 0 ? delayMs : 0), this.nextOrder++, fn as EventCall<unknown, unknown>, a, b);
    this.push(ev);
    return ev;
  }

  /** Current virtual time. */
  now(): number {
    return this.clock.now();
  }

  /** Number of pending (possibly cancelled) events. */
  get size(): number {
    return this.n;
  }

  /** Asks a running {@link run} to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Runs events in order until none is left, the next one is later than `until`, `stop()` is
   * called, or `maxEvents` have run. The clock ends at the last event's time (or `until` when the
   * deadline stopped it).
   */
  async run(until: number = Number.POSITIVE_INFINITY, maxEvents: number = Number.POSITIVE_INFINITY): Promise<StopReason> {
    this.stopRequested = false;
    let budget = maxEvents;
    while (this.n > 0) {
      if ((this.ats[0] as number) > until) {
        this.clock.advanceTo(until);
        return 'deadline';
      }
      const top = this.pop();
      if (top.cancelled) continue;
      this.clock.advanceTo(top.at);
      this.executed++;
      const r = top.action(top.a, top.b);
      if (r !== undefined) await r;
      if (this.stopRequested) return 'stopped';
      if (--budget <= 0) return 'event-budget';
    }
    if (until !== Number.POSITIVE_INFINITY) this.clock.advanceTo(until);
    return 'idle';
  }

  /**
   * Shifts every pending event later by `deltaMs` and moves the clock with them: a time warp in
   * which the whole world sleeps (used to jump past retention and de-duplication windows).
   * Every key moves by the same delta, so the heap order stays valid.
   */
  warp(deltaMs: number): void {
    for (let i = 0; i < this.n; i++) {
      this.ats[i] = (this.ats[i] as number) + deltaMs;
      (this.events[i] as ScheduledEvent).at += deltaMs;
    }
    this.clock.advanceTo(this.clock.now() + deltaMs);
  }

  private push(ev: ScheduledEvent): void {
    if (this.n === this.ats.length) {
      const ats = new Float64Array(this.n * 2);
      ats.set(this.ats);
      this.ats = ats;
      const orders = new Float64Array(this.n * 2);
      orders.set(this.orders);
      this.orders = orders;
    }
    const ats = this.ats;
    const orders = this.orders;
    const events = this.events;
    const at = ev.at;
    const order = ev.order;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pa = ats[parent] as number;
      if (pa < at || (pa === at && (orders[parent] as number) < order)) break;
      ats[i] = pa;
      orders[i] = orders[parent] as number;
      events[i] = events[parent] as ScheduledEvent;
      i = parent;
    }
    ats[i] = at;
    orders[i] = order;
    events[i] = ev;
  }

  private pop(): ScheduledEvent {
    const ats = this.ats;
    const orders = this.orders;
    const events = this.events;
    const top = events[0] as ScheduledEvent;
    const n = --this.n;
    if (n === 0) {
      events[0] = RELEASED;
      return top;
    }
    // Sift the last element down from the root.
    const at = ats[n] as number;
    const order = orders[n] as number;
    const ev = events[n] as ScheduledEvent;
    events[n] = RELEASED; // no stale reference keeps a fired event's closure alive
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      let ca = ats[l] as number;
      let co = orders[l] as number;
      const r = l + 1;
      if (r < n) {
        const ra = ats[r] as number;
        const ro = orders[r] as number;
        if (ra < ca || (ra === ca && ro < co)) {
          c = r;
          ca = ra;
          co = ro;
        }
      }
      if (at < ca || (at === ca && order < co)) break;
      ats[i] = ca;
      orders[i] = co;
      events[i] = events[c] as ScheduledEvent;
      i = c;
    }
    ats[i] = at;
    orders[i] = order;
    events[i] = ev;
    return top;
  }
}
