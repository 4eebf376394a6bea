/**
 * A deterministic offline client for the process tests: one clientId, a seeded stream of valid
 * mutations (note appends, stock adjustments, encounter updates) whose expected final state it
 * tracks, and push bodies that are re-sent unchanged until they get an answer.
 */
import { createHash } from 'node:crypto';

/** Small seeded PRNG (mulberry32). */
export class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

/** A UUID derived from a label (stable across runs of the same seed). */
export function uuidOf(label: string): string {
  const h = createHash('sha256').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A mutation as sent. */
export interface SentMutation {
  readonly clientMutationId: string;
  readonly clientSeq: number;
  readonly aggregate: { readonly type: string; readonly id: string };
  readonly op: string;
  readonly baseVersion: number;
  readonly payload: Record<string, unknown>;
  readonly capturedAt: string;
  readonly actorId: string;
}

interface AggModel {
  readonly type: 'note' | 'stock-item' | 'encounter';
  readonly id: string;
  version: number;
  quantity: number;
  entries: number;
  status: string;
}

/** The client. */
export class ClinicClient {
  readonly clientId: string;
  readonly sent: SentMutation[] = [];
  private seq = 0;
  private readonly aggs: AggModel[] = [];
  private readonly rng: Rng;

  constructor(
    seed: number,
    readonly actorId: string,
    aggregates = 12,
  ) {
    this.rng = new Rng(seed);
    this.clientId = uuidOf(`client/${seed}`);
    const types = ['note', 'stock-item', 'encounter'] as const;
    for (let i = 0; i < aggregates; i += 1) {
      this.aggs.push({ type: types[i % 3]!, id: uuidOf(`agg/${seed}/${i}`), version: 0, quantity: 0, entries: 0, status: 'planned' });
    }
  }

  /** Aggregates with their expected version and state facts. */
  expected(): readonly AggModel[] {
    return this.aggs;
  }

  private nextFor(a: AggModel): Omit<SentMutation, 'clientMutationId' | 'clientSeq' | 'capturedAt' | 'actorId'> {
    const patientId = uuidOf('patient');
    if (a.version === 0) {
      if (a.type === 'note') return { aggregate: a, op: 'create', baseVersion: 0, payload: { patientId, title: 'Ward round' } };
      if (a.type === 'stock-item') return { aggregate: a, op: 'create', baseVersion: 0, payload: { sku: `SKU-${a.id.slice(0, 8)}`, name: 'Gauze', quantity: 100, controlled: false } };
      return { aggregate: a, op: 'create', baseVersion: 0, payload: { patientId, status: 'planned' } };
    }
    if (a.type === 'note') return { aggregate: a, op: 'append', baseVersion: a.version, payload: { text: `entry ${a.entries + 1}`, authoredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, a.entries)).toISOString() } };
    if (a.type === 'stock-item') {
      const delta = a.quantity > 5 && this.rng.next() < 0.5 ? -this.rng.int(1, 5) : this.rng.int(1, 5);
      return { aggregate: a, op: 'adjust', baseVersion: a.version, payload: { delta, reason: delta > 0 ? 'receive' : 'dispense' } };
    }
    // Encounters only move forward; once finished, a reason update keeps the version moving.
    const status = a.status === 'planned' ? 'in-progress' : a.status === 'in-progress' ? 'finished' : 'finished';
    return { aggregate: a, op: 'update', baseVersion: a.version, payload: status === a.status ? { reason: `note ${a.version}` } : { status } };
  }

  /**
   * The next `n` mutations, assuming each applies (the test only moves on once a batch got its
   * outcomes, and every mutation is valid).
   */
  nextBatch(n: number): SentMutation[] {
    const batch: SentMutation[] = [];
    for (let i = 0; i < n; i += 1) {
      const a = this.aggs[this.rng.int(0, this.aggs.length - 1)]!;
      const base = this.nextFor(a);
      this.seq += 1;
      const m: SentMutation = {
        ...base,
        aggregate: { type: a.type, id: a.id },
        clientMutationId: uuidOf(`${this.clientId}/m/${this.seq}`),
        clientSeq: this.seq,
        capturedAt: '2026-01-01T00:00:00Z',
        actorId: this.actorId,
      };
      // Update the model as if applied.
      a.version += 1;
      if (m.op === 'append') a.entries += 1;
      if (a.type === 'stock-item') a.quantity += m.op === 'create' ? 100 : (m.payload['delta'] as number);
      if (m.payload['status'] !== undefined) a.status = m.payload['status'] as string;
      batch.push(m);
      this.sent.push(m);
    }
    return batch;
  }

  /** The push body of a batch. */
  body(batch: readonly SentMutation[]): string {
    return JSON.stringify({ clientId: this.clientId, mutations: batch });
  }
}
