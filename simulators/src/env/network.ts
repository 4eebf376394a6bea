/**
 * The simulated network: every message between a client and the server, or between the server's
 * outbox relay and the broker, goes through {@link Network.send}, which applies latency, seeded
 * faults (drop, duplicate, extra delay that reorders) and partitions. Each fault class draws from
 * its own forked stream, so turning one class on or off never shifts the choices of another.
 */
import type { Random } from './random.js';
import type { Scheduler } from './scheduler.js';

/** The four directions a message can travel. */
export type Link = 'request' | 'response' | 'publish' | 'ack';

/** Fault probabilities of one link direction. */
export interface LinkFaults {
  /** Probability that a message is lost. */
  readonly drop: number;
  /** Probability that a message is delivered twice. */
  readonly duplicate: number;
  /** Probability that a message gets an extra delay (which reorders it behind later ones). */
  readonly delay: number;
  /** Upper bound of the extra delay, ms. */
  readonly maxExtraDelayMs: number;
}

/** Fault probabilities of every link direction. */
export type NetworkFaults = Readonly<Record<Link, LinkFaults>>;

const QUIET: LinkFaults = { drop: 0, duplicate: 0, delay: 0, maxExtraDelayMs: 0 };

/** A network that delivers everything once, in latency order. */
export const NO_NETWORK_FAULTS: NetworkFaults = { request: QUIET, response: QUIET, publish: QUIET, ack: QUIET };

/** A fault the network injected, reported to the history. */
export interface NetworkFaultReport {
  readonly fault: 'drop' | 'duplicate' | 'delay' | 'partitioned';
  readonly link: Link;
  readonly endpoint: string;
  readonly extraDelayMs?: number;
}

/** Receives every fault the network injects. */
export type FaultSink = (report: NetworkFaultReport) => void;

/** Base one-way latency range, ms. */
const MIN_LATENCY_MS = 2;
const MAX_LATENCY_MS = 40;

/** Seeded message delivery with faults and partitions. */
export class Network {
  private faults: NetworkFaults;
  private readonly latency: Random;
  private readonly dropRandom: Random;
  private readonly duplicateRandom: Random;
  private readonly delayRandom: Random;
  /** endpoint → virtual time until which it is cut off. */
  private readonly partitionedUntil = new Map<string, number>();
  /** Messages sent, delivered, lost (any cause). */
  readonly stats = { sent: 0, delivered: 0, lost: 0 };

  constructor(
    private readonly scheduler: Scheduler,
    random: Random,
    faults: NetworkFaults,
    private readonly onFault: FaultSink,
  ) {
    this.faults = faults;
    this.latency = random.fork('latency');
    this.dropRandom = random.fork('drop');
    this.duplicateRandom = random.fork('duplicate');
    this.delayRandom = random.fork('delay');
  }

  /** Replaces the fault probabilities (the liveness phase heals the network this way). */
  setFaults(faults: NetworkFaults): void {
    this.faults = faults;
  }

  /** Cuts `endpoint` off until virtual time `untilMs` (extends an existing cut). */
  partition(endpoint: string, untilMs: number): void {
    const cur = this.partitionedUntil.get(endpoint);
    if (untilMs > this.nowOf() && (cur === undefined || cur < untilMs)) this.partitionedUntil.set(endpoint, untilMs);
  }

  /** Ends every partition now. */
  healAll(): void {
    this.partitionedUntil.clear();
  }

  /** Whether `endpoint` is cut off at `nowMs` (default: now). */
  isPartitioned(endpoint: string, nowMs: number = this.nowOf()): boolean {
    const until = this.partitionedUntil.get(endpoint);
    if (until === undefined) return false;
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
  send(link: Link, endpoint: string, deliver: () => void | Promise<void>): void {
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

  private deliverAfter(delay: number, endpoint: string, link: Link, deliver: () => void | Promise<void>): void {
    this.scheduler.afterCall(delay, this.arrive[link], endpoint, deliver);
  }

  /** Arrival of a message on each link (shared functions: no closure per message). */
  private readonly arrive: Readonly<Record<Link, (endpoint: string, deliver: () => void | Promise<void>) => void | Promise<void>>> = {
    request: (endpoint, deliver) => this.onArrival('request', endpoint, deliver),
    response: (endpoint, deliver) => this.onArrival('response', endpoint, deliver),
    publish: (endpoint, deliver) => this.onArrival('publish', endpoint, deliver),
    ack: (endpoint, deliver) => this.onArrival('ack', endpoint, deliver),
  };

  private onArrival(link: Link, endpoint: string, deliver: () => void | Promise<void>): void | Promise<void> {
    // A partition that started while the message was in flight loses it too.
    if (this.partitionedUntil.size > 0 && this.isPartitioned(endpoint, this.nowOf())) {
      this.stats.lost++;
      this.onFault({ fault: 'partitioned', link, endpoint });
      return;
    }
    this.stats.delivered++;
    return deliver();
  }

  private nowOf(): number {
    return this.scheduler.now();
  }
}
