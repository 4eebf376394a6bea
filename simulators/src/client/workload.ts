/**
 * What simulated users do: pick an operation on the clinic module (create or change a patient,
 * encounter, note or stock item) and build a payload the reference module accepts. Choices draw
 * from the device's workload stream; identifiers from its id stream.
 */
import type { Random } from '../env/random.js';

/** An operation a user performs, before the device numbers and queues it. */
export interface PlannedMutation {
  readonly type: string;
  readonly id: string;
  readonly op: string;
  /** True for `create` (baseVersion 0). */
  readonly creates: boolean;
  readonly payload: Record<string, unknown>;
}

/** Aggregate ids a device knows per type. */
export type KnownAggregates = ReadonlyMap<string, readonly string[]>;

const GIVEN = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Leslie'];
const FAMILY = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Lamport'];
const STATUSES = ['planned', 'in-progress', 'finished'];

function birthDate(r: Random): string {
  const y = r.int(1930, 2020);
  const m = r.int(1, 12);
  const d = r.int(1, 28);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

function knownOf(known: KnownAggregates, type: string): readonly string[] {
  return known.get(type) ?? [];
}

/**
 * Plans the next user action. `authoredAt` is the device's (possibly skewed) clock reading.
 * `mrnPool` bounds medical record numbers per tenant so duplicates (manual conflicts) happen.
 */
export function planMutation(w: Random, ids: Random, known: KnownAggregates, authoredAt: string, mrnPool: number): PlannedMutation {
  const roll = w.int(0, 99);
  const patients = knownOf(known, 'patient');
  const anyPatient = (): string => (patients.length > 0 ? w.pick(patients) : ids.uuid());
  if (roll < 8 || (roll < 20 && patients.length === 0)) {
    return {
      type: 'patient',
      id: ids.uuid(),
      op: 'create',
      creates: true,
      payload: { mrn: `MRN-${w.int(1, mrnPool)}`, givenName: w.pick(GIVEN), familyName: w.pick(FAMILY), birthDate: birthDate(w) },
    };
  }
  if (roll < 16) {
    return { type: 'patient', id: w.pick(patients), op: 'update', creates: false, payload: { givenName: w.pick(GIVEN) } };
  }
  const encounters = knownOf(known, 'encounter');
  if (roll < 26 || (roll < 40 && encounters.length === 0)) {
    return { type: 'encounter', id: ids.uuid(), op: 'create', creates: true, payload: { patientId: anyPatient(), status: 'planned' } };
  }
  if (roll < 40) {
    return { type: 'encounter', id: w.pick(encounters), op: 'update', creates: false, payload: { status: w.pick(STATUSES) } };
  }
  const notes = knownOf(known, 'note');
  if (roll < 50 || (roll < 75 && notes.length === 0)) {
    return { type: 'note', id: ids.uuid(), op: 'create', creates: true, payload: { patientId: anyPatient(), title: `Visit ${w.int(1, 999)}` } };
  }
  if (roll < 75) {
    return { type: 'note', id: w.pick(notes), op: 'append', creates: false, payload: { text: `obs ${w.int(1, 1e6)}`, authoredAt } };
  }
  const stock = knownOf(known, 'stock-item');
  if (roll < 81 || stock.length === 0) {
    return {
      type: 'stock-item',
      id: ids.uuid(),
      op: 'create',
      creates: true,
      payload: { sku: `SKU-${ids.uint32().toString(36)}`, name: `Item ${w.int(1, 99)}`, quantity: w.int(0, 200), controlled: w.chance(0.15) },
    };
  }
  if (roll < 84) {
    return { type: 'stock-item', id: w.pick(stock), op: 'update', creates: false, payload: { name: `Item ${w.int(1, 99)}` } };
  }
  return { type: 'stock-item', id: w.pick(stock), op: 'adjust', creates: false, payload: { delta: w.int(-25, 30) } };
}
