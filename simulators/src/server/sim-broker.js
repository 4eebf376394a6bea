/** JetStream's default duplicate window. */
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;
/** The simulated broker. */
export class SimBroker {
    history;
    duplicateWindowMs;
    recent = new Map();
    /** FIFO of (id, stored at) so expiry is amortised O(1). */
    expiryIds = [];
    expiryTimes = [];
    expiryHead = 0;
    everStored = new Set();
    /** Messages stored, and publishes dropped as duplicates. */
    stats = { stored: 0, deduplicated: 0, redelivered: 0 };
    constructor(history, duplicateWindowMs = DEFAULT_DUPLICATE_WINDOW_MS) {
        this.history = history;
        this.duplicateWindowMs = duplicateWindowMs;
    }
    /** Publishes one message at virtual time `now`; returns whether it was a duplicate (PubAck.duplicate). */
    publish(msg, now) {
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
        if (again)
            this.stats.redelivered++;
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
    expire(now) {
        const limit = now - this.duplicateWindowMs;
        while (this.expiryHead < this.expiryTimes.length && this.expiryTimes[this.expiryHead] <= limit) {
            const id = this.expiryIds[this.expiryHead];
            if (this.recent.get(id) === this.expiryTimes[this.expiryHead])
                this.recent.delete(id);
            this.expiryHead++;
        }
        if (this.expiryHead > 65536 && this.expiryHead * 2 > this.expiryTimes.length) {
            this.expiryIds.splice(0, this.expiryHead);
            this.expiryTimes.splice(0, this.expiryHead);
            this.expiryHead = 0;
        }
    }
}
