/**
 * Fixtures shared by the relay tests: an in-memory outbox with the Store port's claim/mark
 * semantics, and a reader that collects everything a JetStream stream holds.
 */
import { createHash } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { AuditEntryRow, ChangeRow } from '../../src/ports/records.js';
import type { RelaySource } from '../../src/events/outbox-relay.js';

/** Deterministic UUID-shaped id from a string (test data only). */
export function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An outbox in memory. */
export class MemoryOutbox implements RelaySource {
  readonly changes: ChangeRow[] = [];
  readonly audits: AuditEntryRow[] = [];
  /** When set, markPublished throws (simulates a crash between publish and mark). */
  failMark = false;

  addChange(tenantId: string, n: number): ChangeRow {
    const seq = this.changes.length + 1;
    const cmid = uuidFrom(`${tenantId}/${n}`);
    const row: ChangeRow = {
      seq,
      tenantId,
      module: 'clinic',
      aggregate: { type: 'encounter', id: uuidFrom(`agg/${n}`) },
      version: 1,
      op: 'create',
      eventType: 'created',
      state: { patientId: uuidFrom('p'), status: 'planned' },
      committedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      eventId: uuidFrom(`${tenantId}\n${cmid}`),
      clientMutationId: cmid,
      actorId: 'alice',
      publishedAt: null,
    };
    this.changes.push(row);
    return row;
  }

  claimOutbox(limit: number): readonly ChangeRow[] {
    return this.changes.filter((c) => c.publishedAt === null).slice(0, limit);
  }

  markPublished(seqs: readonly number[], at: string): void {
    if (this.failMark) throw new Error('simulated crash before mark');
    for (const s of seqs) {
      const i = this.changes.findIndex((c) => c.seq === s);
      this.changes[i] = { ...this.changes[i]!, publishedAt: at };
    }
  }

  claimAuditOutbox(limit: number): readonly AuditEntryRow[] {
    return this.audits.filter((c) => c.publishedAt === null).slice(0, limit);
  }

  markAuditPublished(keys: readonly { tenantId: string; seq: number }[], at: string): void {
    for (const k of keys) {
      const i = this.audits.findIndex((a) => a.tenantId === k.tenantId && a.seq === k.seq);
      this.audits[i] = { ...this.audits[i]!, publishedAt: at };
    }
  }

  /** Forgets every publication mark (as if the marks were lost in a crash). */
  forgetMarks(): void {
    for (let i = 0; i < this.changes.length; i += 1) this.changes[i] = { ...this.changes[i]!, publishedAt: null };
    for (let i = 0; i < this.audits.length; i += 1) this.audits[i] = { ...this.audits[i]!, publishedAt: null };
  }

  unpublished(): number {
    return this.changes.filter((c) => c.publishedAt === null).length + this.audits.filter((a) => a.publishedAt === null).length;
  }
}

/** One stored stream message. */
export interface StreamMessage {
  readonly subject: string;
  readonly msgId: string | undefined;
  readonly contentType?: string | undefined;
  readonly data: unknown;
}

/** Reads every message of `stream` (ordered consumer from the start). */
export async function readStream(url: string, stream: string): Promise<StreamMessage[]> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    const total = info.state.messages;
    const out: StreamMessage[] = [];
    if (total === 0) return out;
    const consumer = await jetstream(nc).consumers.get(stream);
    const iter = await consumer.fetch({ max_messages: total, expires: 2_000 });
    for await (const m of iter) {
      out.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), contentType: m.headers?.get('content-type'), data: m.json() });
      if (out.length >= total) break;
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not reached within ${timeoutMs} ms`);
}
