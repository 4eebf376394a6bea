/**
 * Real time for the offline devices of a real-target run: timers are `setTimeout`, the clock is the
 * wall clock — both *compressed* by `timeScale`, so a device's timings (seconds of debounce,
 * minutes of backoff, a 10 s request timeout, all written for simulated hours) play out in a run of
 * seconds. With `timeScale: 100` a 10 s virtual request timeout is 100 ms of real time. Randomness
 * stays seeded: every choice a device makes still comes from the run seed; only the interleaving
 * with the real server and network is left to the world.
 */
import type { Clock } from '../src/env/clock.js';
import { createRandom, type Random } from '../src/env/random.js';
import type { TimerHandle } from '../src/env/scheduler.js';
import type { DeviceEnv, DeviceScheduler } from '../src/client/device-link.js';
import { safeClearTimeout, safeSetTimeout } from './interceptors/_internals/handlers.js';
import type { RealWorld } from './real-world.js';

/** Options of {@link RealTimeEnv}. */
export interface RealTimeEnvOptions {
  readonly seed: number;
  /** Where real time comes from. */
  readonly world: Pick<RealWorld, 'monotonicMs' | 'epochMs'>;
  /** Virtual ms per real ms (≥ 1). @defaultValue 100 */
  readonly timeScale?: number;
  /** Virtual time at the start, epoch ms. @defaultValue the wall clock at the start */
  readonly startMs?: number;
}

/** Clock, seeded randomness and compressed real timers; {@link dispose} cancels every pending timer. */
export class RealTimeEnv implements DeviceEnv {
  readonly clock: Clock;
  readonly random: Random;
  readonly scheduler: DeviceScheduler;
  readonly timeScale: number;
  /** Errors thrown by timer actions (a run with any is inconclusive). */
  readonly errors: unknown[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly realOrigin: number;
  private readonly monotonicMs: () => number;
  private readonly virtualOrigin: number;
  private disposed = false;

  constructor(options: RealTimeEnvOptions) {
    const scale = options.timeScale ?? 100;
    if (!(Number.isFinite(scale) && scale >= 1)) throw new RangeError(`timeScale must be a number >= 1, got ${scale}`);
    this.timeScale = scale;
    this.monotonicMs = () => options.world.monotonicMs();
    this.realOrigin = this.monotonicMs();
    this.virtualOrigin = options.startMs ?? options.world.epochMs();
    this.random = createRandom(options.seed);
    this.clock = { now: () => this.now() };
    this.scheduler = { after: (delayMs, action) => this.after(delayMs, action) };
  }

  /** Virtual now, epoch ms (whole milliseconds). */
  now(): number {
    return this.virtualOrigin + Math.floor((this.monotonicMs() - this.realOrigin) * this.timeScale);
  }

  /** Real milliseconds since the env was created. */
  elapsedRealMs(): number {
    return this.monotonicMs() - this.realOrigin;
  }

  /** Runs `action` after `delayMs` of virtual time (`delayMs / timeScale` real ms). */
  after(delayMs: number, action: () => void): TimerHandle {
    const at = this.now() + Math.max(0, delayMs);
    let cancelled = false;
    let fired = false;
    const handle: TimerHandle = {
      at,
      get cancelled() {
        return cancelled;
      },
      cancel: () => {
        if (cancelled || fired) return;
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
      if (cancelled || this.disposed) return;
      fired = true; // as in the simulator's scheduler: a fired timer is not "cancelled"
      try {
        action();
      } catch (err) {
        this.errors.push(err);
      }
    }, Math.max(0, delayMs) / this.timeScale);
    this.timers.add(id);
    return handle;
  }

  /** Cancels every pending timer; later `after` calls schedule nothing. */
  dispose(): void {
    this.disposed = true;
    for (const id of this.timers) safeClearTimeout(id);
    this.timers.clear();
  }
}
