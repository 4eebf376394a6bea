/**
 * Time for the domain core. The core never reads the platform clock: the server passes a system
 * clock, the simulator a virtual one, so a seed reproduces every timestamp and every expiry.
 */

/** A source of the current time. */
export interface Clock {
  /** Milliseconds since the Unix epoch (integer). Must never go backwards within one store. */
  now(): number;
}

/** A clock that always answers `ms` until moved; handy in tests. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.UTC(2026, 0, 1)) {}
  /** @inheritdoc */
  now(): number {
    return this.ms;
  }
  /** Moves the clock forward by `deltaMs`. */
  advance(deltaMs: number): void {
    this.ms += deltaMs;
  }
  /** Sets the clock to `ms`. */
  set(ms: number): void {
    this.ms = ms;
  }
}
