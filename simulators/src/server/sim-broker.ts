/**
 * A JetStream-like broker: stores published messages, de-duplicating by `Nats-Msg-Id` inside a
 * sliding duplicate window (default 2 minutes, as JetStream). Every stored message is recorded in
 * the history as an `event`; a message stored again after its window passed is marked `redelivery`.
 */
import type { History } from '../history/history.js';
import type { SimOutboxMessage } from '../target/sim-server.js';

/** JetStream's default duplicate window. */
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/** The simulated broker. */
export class SimBroker {
  private readonly recent = new Map<string, number>();
  /** FIFO of (id, stored at) so expiry is amortised O(1). */
  private readonly expiryIds: string[] = [];
  private readonly expiryTimes: number[] = [];
  private expiryHead = 0;
  private readonly everStored = new Set<string>();
  /** Messages stored, and publishes dropped as duplicates. */
  readonly stats = { stored: 0, deduplicated: 0, redelivered: 0 };

  constructor(
    private readonly history: History,
    readonly duplicateWindowMs: number = DEFAULT_DUPLICATE_WINDOW_MS,
  ) {}

  /** Publishes one message at virtual time `now`; returns whether it was a duplicate (PubAck.duplicate). */
  publish(msg: SimOutboxMessage, now: number): boolean {
    this.expire(now);
    if (this.recent.has(msg.msgId)) {
      this.stats.deduplicated++;
      return true;
    }
    this.recent.set(msg.msgId, now);
    this.expiryIds.push(msg.msgId);
    this.expiryTimes.push(now);
    const again = this.everStored.has(msg.msgId);
    this.everStored.add(msg.msgId);
    this.stats.stored++;
    if (again) this.stats.redelivered++;
    this.history.add({
      k: 'event',
      t: now,
      id: msg.msgId,
      subject: msg.subject,
      tenant: msg.tenantId,
      cmid: msg.clientMutationId,
      agg: msg.aggregate.type + ':' + msg.aggregate.id,
      version: msg.version,
      type: msg.type,
      ...(again ? { redelivery: true } : {}),
    });
    return false;
  }

  private expire(now: number): void {
    const limit = now - this.duplicateWindowMs;
    while (this.expiryHead < this.expiryTimes.length && (this.expiryTimes[this.expiryHead] as number) <= limit) {
      const id = this.expiryIds[this.expiryHead] as string;
      if (this.recent.get(id) === this.expiryTimes[this.expiryHead]) this.recent.delete(id);
      this.expiryHead++;
    }
    if (this.expiryHead > 65536 && this.expiryHead * 2 > this.expiryTimes.length) {
      this.expiryIds.splice(0, this.expiryHead);
      this.expiryTimes.splice(0, this.expiryHead);
      this.expiryHead = 0;
    }
  }
}
