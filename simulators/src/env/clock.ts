/**
 * Virtual time. The simulated world never reads the platform clock: the scheduler moves this clock
 * to the time of the next event, so idle hours cost nothing.
 */

/** Reads the current time in epoch milliseconds. The shape the simulator hands to cores and clients. */
export interface Clock {
  now(): number;
}

/** Where every simulation's virtual clock starts: 2026-01-01T00:00:00Z. */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

/** A clock that only moves when the scheduler advances it. */
export class VirtualClock implements Clock {
  private t: number;

  constructor(startMs: number = SIM_EPOCH_MS) {
    this.t = startMs;
  }

  /** Current virtual time in epoch milliseconds. */
  now(): number {
    return this.t;
  }

  /** Current virtual time as an RFC 3339 string. */
  isoNow(): string {
    return new Date(this.t).toISOString();
  }

  /** Moves the clock forward; time never runs backwards. */
  advanceTo(t: number): void {
    if (t > this.t) this.t = t;
  }
}

/** A device clock: the virtual clock seen through a fixed skew (client clock skew fault). */
export class SkewedClock implements Clock {
  constructor(
    private readonly base: Clock,
    /** Milliseconds added to the true time (negative: the device is behind). */
    readonly skewMs: number,
  ) {}

  now(): number {
    return this.base.now() + this.skewMs;
  }
}
