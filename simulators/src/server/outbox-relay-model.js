import { andThen } from '../target/sim-server.js';
/** Rows claimed per tick (also the bound on publishes awaiting an ack). */
const CLAIM_LIMIT = 256;
/** How long the relay waits for a PubAck before publishing again. */
const ACK_TIMEOUT_MS = 2_000;
/** Tick period while there is work. */
const TICK_MS = 200;
/** The relay. */
export class OutboxRelayModel {
    env;
    server;
    broker;
    isServerUp;
    inflight = new Map(); // seq → ack deadline
    acked = [];
    timer;
    incarnation = 0;
    /** True when the last tick found nothing to publish and nothing awaits an ack. */
    idle = true;
    stats = { published: 0, acked: 0, crashes: 0 };
    constructor(env, server, broker, isServerUp) {
        this.env = env;
        this.server = server;
        this.broker = broker;
        this.isServerUp = isServerUp;
    }
    /** Wakes the relay (a commit happened). */
    kick() {
        this.idle = false;
        if (this.timer === undefined)
            this.timer = this.env.scheduler.after(TICK_MS, () => this.tick());
    }
    /** The server process crashed: in-memory relay state (in-flight publishes, pending acks) is lost. */
    crash() {
        this.incarnation++;
        this.inflight = new Map();
        this.acked = [];
        this.stats.crashes++;
    }
    tick() {
        this.timer = undefined;
        if (!this.isServerUp()) {
            this.timer = this.env.scheduler.after(TICK_MS * 5, () => this.tick());
            return;
        }
        const now = this.env.clock.now();
        const marks = this.acked;
        this.acked = [];
        const afterMark = () => andThen(this.server.claimOutbox(CLAIM_LIMIT), (rows) => {
            const inc = this.incarnation;
            // One pipelined batch of publishes per tick (JetStream async publish): the link's faults
            // hit the batch and its PubAcks together.
            const batch = rows.filter((row) => {
                const deadline = this.inflight.get(row.seq);
                if (deadline !== undefined && deadline > now)
                    return false;
                this.inflight.set(row.seq, now + ACK_TIMEOUT_MS);
                return true;
            });
            if (batch.length > 0) {
                this.stats.published += batch.length;
                this.env.network.send('publish', 'nats', () => {
                    const t = this.env.clock.now();
                    for (const row of batch)
                        this.broker.publish(row, t);
                    this.env.network.send('ack', 'nats', () => {
                        for (const row of batch)
                            this.onAck(inc, row.seq);
                    });
                });
            }
            if (this.acked.length > 0) {
                this.timer = this.env.scheduler.after(TICK_MS, () => this.tick());
            }
            else if (this.inflight.size > 0) {
                // Waiting for acks: an arriving ack kicks the relay; otherwise look again when the
                // oldest publish has timed out (a partition to the broker does not spin the relay).
                this.timer = this.env.scheduler.after(ACK_TIMEOUT_MS, () => this.tick());
            }
            else {
                this.idle = rows.length === 0;
                if (!this.idle)
                    this.timer = this.env.scheduler.after(TICK_MS, () => this.tick());
            }
        });
        if (marks.length > 0) {
            marks.sort((a, b) => a - b);
            return andThen(this.server.markPublished(marks, new Date(now).toISOString()), afterMark);
        }
        return afterMark();
    }
    onAck(incarnation, seq) {
        if (incarnation !== this.incarnation)
            return; // the process that published is gone
        if (!this.inflight.delete(seq))
            return; // duplicate ack
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
