/**
 * Hand-made histories for checker tests: a tiny builder that writes the entries a simulation
 * would, so each test states only the facts it is about.
 */
import type { HistoryEntry } from '../../src/history/history-entry.js';
import { ReplicaDigest } from '../../src/history/replica-digest.js';

/** Builds a history line by line. */
export class HistoryBuilder {
  readonly entries: HistoryEntry[] = [];
  private t = 1_000;
  private seqs = new Map<string, number>();
  private req = 0;

  /** A capture by `dev` (tenant derived as given). */
  capture(dev: string, tenant: string, cmid: string, agg: string, op = 'update'): this {
    const seq = (this.seqs.get(dev) ?? 0) + 1;
    this.seqs.set(dev, seq);
    this.entries.push({ k: 'capture', t: this.t++, dev, tenant, actor: `actor-${dev}`, client: `client-${dev}`, cmid, seq, agg, op, base: 0 });
    return this;
  }

  push(dev: string, tenant: string, cmids: string[]): this {
    this.entries.push({ k: 'push', t: this.t++, dev, tenant, req: ++this.req, cmids });
    return this;
  }

  applied(dev: string, tenant: string, cmid: string, version: number, eventId = `ev-${tenant}-${cmid}`, replayed = false): this {
    this.entries.push({
      k: 'outcome',
      t: this.t++,
      dev,
      tenant,
      req: this.req,
      cmid,
      status: 'applied',
      version,
      eventId,
      ...(replayed ? { replayed: true } : {}),
    });
    return this;
  }

  outcome(dev: string, tenant: string, cmid: string, status: string, problem?: string): this {
    this.entries.push({ k: 'outcome', t: this.t++, dev, tenant, req: this.req, cmid, status, ...(problem ? { problem } : {}) });
    return this;
  }

  /** The device's answer for `cmid`: a conflict opened as `conflictId`. */
  conflicted(dev: string, tenant: string, cmid: string, conflictId: string): this {
    this.entries.push({ k: 'outcome', t: this.t++, dev, tenant, req: this.req, cmid, status: 'conflict', conflictId });
    return this;
  }

  /** An admin sends a resolution of `conflictId`. */
  resolveCall(tenant: string, conflictId: string, resolution = 'keep-server'): this {
    this.entries.push({ k: 'resolve-call', t: this.t++, tenant, conflictId, resolution });
    return this;
  }

  surface(dev: string, tenant: string, cmid: string, reason: string): this {
    this.entries.push({ k: 'surface', t: this.t++, dev, tenant, cmid, reason });
    return this;
  }

  event(tenant: string, cmid: string, agg: string, version: number, opts: { id?: string; subjectTenant?: string; redelivery?: boolean } = {}): this {
    const [type] = agg.split(':');
    this.entries.push({
      k: 'event',
      t: this.t++,
      id: opts.id ?? `ev-${tenant}-${cmid}`,
      subject: `sync.${opts.subjectTenant ?? tenant}.clinic.${type}.updated`,
      tenant,
      cmid,
      agg,
      version,
      type: `org.syncproof.clinic.${type}.updated`,
      ...(opts.redelivery ? { redelivery: true } : {}),
    });
    return this;
  }

  final(): this {
    this.entries.push({ k: 'phase', t: this.t++, phase: 'final' });
    return this;
  }

  log(tenant: string, cmid: string, agg: string, version: number, eventId = `ev-${tenant}-${cmid}`, op = 'update'): this {
    this.entries.push({ k: 'log', tenant, agg, version, op, eventId, cmid });
    return this;
  }

  finalAgg(tenant: string, agg: string, version: number): this {
    this.entries.push({ k: 'final-agg', tenant, agg, version });
    return this;
  }

  replica(dev: string, tenant: string, pairs: [string, number][]): this {
    const d = new ReplicaDigest();
    for (const [agg, v] of pairs) d.add(agg, v);
    this.entries.push({ k: 'final-replica', dev, tenant, n: d.n, digest: d.toString() });
    return this;
  }

  queue(dev: string, tenant: string, pending: string[] = []): this {
    this.entries.push({ k: 'final-queue', dev, tenant, pending });
    return this;
  }

  conflict(tenant: string, conflictId: string, cmid: string, agg: string, status: 'open' | 'resolved', phi: boolean): this {
    this.entries.push({ k: 'final-conflict', tenant, conflictId, cmid, agg, status, phi });
    return this;
  }

  audit(tenant: string, seq: number, conflictId: string | null, action = 'conflict-resolved'): this {
    this.entries.push({ k: 'audit', tenant, seq, action, conflictId, entity: null });
    return this;
  }
}

/**
 * A clean history: two tenants, one device each, every mutation applied, logged, published, and
 * both replicas caught up.
 */
export function cleanHistory(): HistoryBuilder {
  const h = new HistoryBuilder();
  h.capture('d0', 'ta', 'm1', 'note:n1', 'create').capture('d0', 'ta', 'm2', 'note:n1', 'append');
  h.capture('d1', 'tb', 'm1', 'note:n1', 'create'); // same ids in another tenant: independent
  h.push('d0', 'ta', ['m1', 'm2']).applied('d0', 'ta', 'm1', 1).applied('d0', 'ta', 'm2', 2);
  h.push('d1', 'tb', ['m1']).applied('d1', 'tb', 'm1', 1);
  h.event('ta', 'm1', 'note:n1', 1).event('ta', 'm2', 'note:n1', 2).event('tb', 'm1', 'note:n1', 1);
  h.final();
  h.log('ta', 'm1', 'note:n1', 1).log('ta', 'm2', 'note:n1', 2).log('tb', 'm1', 'note:n1', 1);
  h.finalAgg('ta', 'note:n1', 2).finalAgg('tb', 'note:n1', 1);
  h.conflict('ta', 'c1', 'm9', 'patient:p1', 'resolved', true).audit('ta', 1, 'c1');
  h.replica('d0', 'ta', [['note:n1', 2]]).queue('d0', 'ta');
  h.replica('d1', 'tb', [['note:n1', 1]]).queue('d1', 'tb');
  return h;
}
