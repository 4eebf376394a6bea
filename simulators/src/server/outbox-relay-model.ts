/**
 * The server's outbox relay, modelled: claims unpublished outbox rows, publishes each to the broker
 * over the (faulty) server↔broker link with its `Nats-Msg-Id`, and marks a row published only
 * after the PubAck came back. A lost ack or a relay crash leads to a re-publish that the broker's
 * duplicate window absorbs — or, past the window, a redelivery that consumers de-duplicate.
 */
import type { SimEnv } from '../env/sim-env.js';
import type { TimerHandle } from '../env/scheduler.js';
import type { SimBroker } from './sim-broker.js';
import { type SimServer, andThen } from '../target/sim-server.js';

/** Rows claimed per tick (also the bound on publishes awaiting an ack). */
const CLAIM_LIMIT = 256;
/** How long the relay waits for a PubAck before publishing again. */
const ACK_TIMEOUT_MS = 2_000;
/** Tick period while there is work. */
const TICK_MS = 200;

/** The relay. */
export class OutboxRelayModel {
  private inflight = new Map<number, number>(); // seq → ack deadline
  private acked: number[] = [];
  private timer: TimerHandle | undefined;
  private incarnation = 0;
  /** True when the last tick found nothing to publish and nothing awaits an ack. */
  idle = true;
  readonly stats = { published: 0, acked: 0, crashes: 0 };

  constructor(
    private readonly env: SimEnv,
    private readonly server: SimServer,
    private readonly broker: SimBroker,
    private readonly isServerUp: () => boolean,
  ) {}

  /** Wakes the relay (a commit happened). */
  kick(): void {
    this.idle = false;
    if (this.timer === undefined) this.timer = this.env.scheduler.after(TICK_MS, () => this.tick());
  }

  /** The server process crashed: in-memory relay state (in-flight publishes, pending acks) is lost. */
  crash(): void {
    this.incarnation++;
    this.inflight = new Map();
    this.acked = [];
    this.stats.crashes++;
  }

  private tick(): void | Promise<void> {
    this.timer = undefined;
    if (!this.isServerUp()) {
      this.timer = this.env.scheduler.after(TICK_MS * 5, () => this.tick());
      return;
    }
    const now = this.env.clock.now();
    const marks = this.acked;
    this.acked = [];
    const afterMark = (): void | Promise<void> =>
      andThen(this.server.claimOutbox(CLAIM_LIMIT), (rows) => {
        const inc = this.incarnation;
        // One pipelined batch of publishes per tick (JetStream async publish): the link's faults
        // hit the batch and its PubAcks together.
        const batch = rows.filter((row) => {
          const deadline = this.inflight.get(row.seq);
          if (deadline !== undefined && deadline > now) return false;
          this.inflight.set(row.seq, now + ACK_TIMEOUT_MS);
          return true;
        });
        if (batch.length > 0) {
          this.stats.published += batch.length;
          this.env.network.send('publish', 'nats', () => {
            const t = this.env.clock.now();
            for (const row of batch) this.broker.publish(row, t);
            this.env.network.send('ack', 'nats', () => {
              for (const row of batch) this.onAck(inc, row.seq);
            });
          });
        }
        if (this.acked.length > 0) {
          this.timer = this.env.scheduler.after(TICK_MS, () => this.tick());
        } else if (this.inflight.size > 0) {
          // Waiting for acks: an arriving ack kicks the relay; otherwise look again when the
          // oldest publish has timed out (a partition to the broker does not spin the relay).
          this.timer = this.env.scheduler.after(ACK_TIMEOUT_MS, () => this.tick());
        } else {
          this.idle = rows.length === 0;
          if (!this.idle) this.timer = this.env.scheduler.after(TICK_MS, () => this.tick());
        }
      });
    if (marks.length > 0) {
      marks.sort((a, b) => a - b);
      return andThen(this.server.markPublished(marks, new Date(now).toISOString()), afterMark);
    }
    return afterMark();
  }

  private onAck(incarnation: number, seq: number): void {
    if (incarnation !== this.incarnation) return; // the process that published is gone
    if (!this.inflight.delete(seq)) return; // duplicate ack
    this.acked.push(seq);
    this.stats.acked++;
    if (this.inflight.size === 0 || this.acked.length >= CLAIM_LIMIT / 2) {
      // Everything in flight is acknowledged (or a big batch is): mark and claim more soon.
      this.timer?.cancel();
      this.timer = undefined;
      this.kick();
    }
  }
}
