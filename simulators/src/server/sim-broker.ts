/**
 * A JetStream-like broker: stores published messages, de-duplicating by `Nats-Msg-Id` inside a
 * sliding duplicate window (default 2 minutes, as JetStream). Every stored message is recorded in
 * the history as an `event`; a message stored again after its window passed is marked `redelivery`.
 */
import type { History } from '../history/history.js';
import type { EventEntry } from '../history/history-entry.js';
import type { SimOutboxMessage } from '../target/sim-server.js';

/** JetStream's default duplicate window. */
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/** The simulated broker. */
export class SimBroker {
  /**
   * When each message id was last stored. An id is inside the duplicate window while its last
   * store is less than the window old — the same answer an expiring set of recent ids gives, with
   * one look-up per publish and no expiry queue; an id seen before is a redelivery.
   */
  private readonly storedAt = new Map<string, number>();
  /** Messages stored, and publishes dropped as duplicates. */
  readonly stats = { stored: 0, deduplicated: 0, redelivered: 0 };

  constructor(
    private readonly history: History,
    readonly duplicateWindowMs: number = DEFAULT_DUPLICATE_WINDOW_MS,
  ) {}

  /** Publishes one message at virtual time `now`; returns whether it was a duplicate (PubAck.duplicate). */
  publish(msg: SimOutboxMessage, now: number): boolean {
    const last = this.storedAt.get(msg.msgId);
    if (last !== undefined && last > now - this.duplicateWindowMs) {
      this.stats.deduplicated++;
      return true;
    }
    this.storedAt.set(msg.msgId, now);
    const again = last !== undefined;
    this.stats.stored++;
    if (again) this.stats.redelivered++;
    const entry: { -readonly [K in keyof EventEntry]: EventEntry[K] } = {
      k: 'event',
      t: now,
      id: msg.msgId,
      subject: msg.subject,
      tenant: msg.tenantId,
      cmid: msg.clientMutationId,
      agg: msg.aggregate.type + ':' + msg.aggregate.id,
      version: msg.version,
      type: msg.type,
    };
    if (again) entry.redelivery = true; // last, as the hashed JSON line lists it
    this.history.add(entry);
    return false;
  }
}
