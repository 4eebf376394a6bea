/**
 * The discrete-event scheduler: a binary heap of events keyed by (virtual time, insertion number).
 * Ties break by insertion order, so the run order depends only on what was scheduled, never on the
 * platform. Exactly one event runs at a time; an event that returns a promise is awaited before the
 * next one starts, which keeps async code (an async core) deterministic too.
 */
import type { VirtualClock } from './clock.js';

/** What an event does when it fires. */
export type EventAction = () => void | Promise<void>;

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
    readonly action: EventAction,
  ) {}
  cancel(): void {
    this.cancelled = true;
  }
}

/** Why {@link Scheduler.run} stopped. */
export type StopReason = 'idle' | 'deadline' | 'stopped' | 'event-budget';

/** Priority queue of events over a {@link VirtualClock}. */
export class Scheduler {
  private heap: ScheduledEvent[] = [];
  private nextOrder = 0;
  private stopRequested = false;
  /** Events executed so far (cancelled ones excluded). */
  executed = 0;

  constructor(private readonly clock: VirtualClock) {}

  /** Schedules `action` at absolute virtual time `at` (clamped to now). */
  at(at: number, action: EventAction): TimerHandle {
    const now = this.clock.now();
    const ev = new ScheduledEvent(at < now ? now : at, this.nextOrder++, action);
    this.push(ev);
    return ev;
  }

  /** Schedules `action` after `delayMs` of virtual time. */
  after(delayMs: number, action: EventAction): TimerHandle {
    return this.at(this.clock.now() + (delayMs > 0 ? delayMs : 0), action);
  }

  /** Current virtual time. */
  now(): number {
    return this.clock.now();
  }

  /** Number of pending (possibly cancelled) events. */
  get size(): number {
    return this.heap.length;
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
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0] as ScheduledEvent;
      if (top.at > until) {
        this.clock.advanceTo(until);
        return 'deadline';
      }
      this.pop();
      if (top.cancelled) continue;
      this.clock.advanceTo(top.at);
      this.executed++;
      const r = top.action();
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
    for (const e of this.heap) e.at += deltaMs;
    this.clock.advanceTo(this.clock.now() + deltaMs);
  }

  private less(a: ScheduledEvent, b: ScheduledEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(ev: ScheduledEvent): void {
    const heap = this.heap;
    heap.push(ev);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as ScheduledEvent;
      if (!this.less(ev, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as ScheduledEvent;
    if (heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.less(heap[r] as ScheduledEvent, heap[l] as ScheduledEvent)) c = r;
      if (!this.less(heap[c] as ScheduledEvent, last)) break;
      heap[i] = heap[c] as ScheduledEvent;
      i = c;
    }
    heap[i] = last;
  }
}
