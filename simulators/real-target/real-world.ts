/**
 * What a real-target run takes from the real world. Whoever starts the run injects it — the
 * `simulate --target` command or a conformance check, through {@link systemRealWorld} — and
 * nothing under `simulators/real-target/` reads a clock or entropy itself (ESLint holds that):
 * the devices' choices still come from the run seed, and a test can hand in a fake world.
 */
export interface RealWorld {
  /** Monotonic milliseconds (timers, time budgets, partition windows, round trips). */
  monotonicMs(): number;
  /** Wall clock, epoch milliseconds (the devices' virtual epoch, the event read window). */
  epochMs(): number;
  /**
   * `bytes` fresh random bytes as hex: a salt that keeps this run's tenants and ids apart from
   * every earlier run on a shared target. Deliberately not derived from the seed — rerunning a
   * seed must not collide with what the last run left on the server.
   */
  freshSalt(bytes: number): string;
}
