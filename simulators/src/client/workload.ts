/**
 * What simulated users do: pick an operation on the clinic module (create or change a patient,
 * encounter, note or stock item) and build a payload the reference module accepts — every planned
 * mutation is valid per specs/modules/clinic/TECHNICAL_REQUIREMENTS.md (ops per type, closed
 * payload schemas, lengths, forward-only encounter status, stock `adjust` with a `reason`).
 * Choices draw from the device's workload stream; identifiers from its id stream.
 *
 * What the server may still refuse is the point of the exercise, not a workload mistake: stale
 * updates (conflicts by policy), duplicate patients and taken MRNs (manual conflicts), stock going
 * below zero (`insufficient-stock`), changes to an aggregate whose create was refused
 * (`not-found`), an encounter another device finished meanwhile (`business-rule-violation`), and —
 * the one deliberate authorization share — controlled-substance stock touched by a device whose
 * user is not a pharmacist (`permission-lost`, audited): the workload does not know its user's
 * roles, so about {@link CONTROLLED_SHARE} of stock items are controlled and clinicians (about
 * three devices in four) are refused on them, as a real clinic app would be.
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

/** Share of created stock items that are controlled substances (the deliberate permission-lost share). */
export const CONTROLLED_SHARE = 0.15;

const GIVEN = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Leslie'];
const FAMILY = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Lamport'];
const ENCOUNTER_REASONS = ['check-up', 'follow-up', 'vaccination', 'lab results', 'referral'];
/** Encounter status in its forward-only order (clinic TR §3). */
const STATUS = ['planned', 'in-progress', 'finished'] as const;
/** Stock adjustments: receipts add, dispensing and waste remove, corrections go either way (clinic TR §5). */
const ADJUST_REASONS = ['receive', 'dispense', 'waste', 'correction'] as const;

/**
 * What a device itself last did to an encounter's status (0 planned, 1 in-progress, 2 finished),
 * kept per device — keyed by the device's own map of known aggregates — so its users only move a
 * status forward from what they last saw. Encounters learnt from others are not in it: for them a
 * user either finishes the encounter (never backwards) or edits only the reason.
 */
const statusSeen = new WeakMap<KnownAggregates, Map<string, number>>();

function birthDate(r: Random): string {
  const y = r.int(1930, 2020);
  const m = r.int(1, 12);
  const d = r.int(1, 28);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

function knownOf(known: KnownAggregates, type: string): readonly string[] {
  return known.get(type) ?? [];
}

function seenOf(known: KnownAggregates): Map<string, number> {
  let seen = statusSeen.get(known);
  if (seen === undefined) statusSeen.set(known, (seen = new Map()));
  return seen;
}

/** A forward-only encounter update from what the device last saw (`rank`, or unknown). */
function encounterUpdate(w: Random, rank: number | undefined): { payload: Record<string, unknown>; rank: number | undefined } {
  const reasonOnly = (): { payload: Record<string, unknown>; rank: number | undefined } => ({
    payload: { reason: w.pick(ENCOUNTER_REASONS) },
    rank,
  });
  if (rank === undefined) return w.chance(0.3) ? { payload: { status: 'finished' }, rank: 2 } : reasonOnly();
  if (rank >= 2) return reasonOnly();
  const roll = w.int(0, 9);
  if (roll < 2) return reasonOnly();
  const next = rank === 0 && roll < 8 ? 1 : 2;
  return { payload: { status: STATUS[next] }, rank: next };
}

/** A non-zero stock adjustment with a reason that fits its sign. */
function stockAdjustment(w: Random): Record<string, unknown> {
  const reason = w.pick(ADJUST_REASONS);
  const size = w.int(1, 25);
  const delta = reason === 'receive' ? size + 5 : reason === 'correction' ? (w.chance(0.5) ? size : -size) : -size;
  return { delta, reason };
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
    const id = ids.uuid();
    seenOf(known).set(id, 0);
    return { type: 'encounter', id, op: 'create', creates: true, payload: { patientId: anyPatient(), status: 'planned' } };
  }
  if (roll < 40) {
    const id = w.pick(encounters);
    const seen = seenOf(known);
    const { payload, rank } = encounterUpdate(w, seen.get(id));
    if (rank !== undefined) seen.set(id, rank);
    return { type: 'encounter', id, op: 'update', creates: false, payload };
  }
  const notes = knownOf(known, 'note');
  if (roll < 50 || (roll < 75 && notes.length === 0)) {
    return { type: 'note', id: ids.uuid(), op: 'create', creates: true, payload: { patientId: anyPatient(), title: `Visit ${w.int(1, 999)}` } };
  }
  if (roll < 75) {
    return { type: 'note', id: w.pick(notes), op: 'append', creates: false, payload: { text: `obs ${w.int(1, 1e6)}`, authoredAt } };
  }
  const stock = knownOf(known, 'stock-item');
  if (roll < 84 || stock.length === 0) {
    return {
      type: 'stock-item',
      id: ids.uuid(),
      op: 'create',
      creates: true,
      payload: {
        sku: `SKU-${ids.uint32().toString(36)}`,
        name: `Item ${w.int(1, 99)}`,
        quantity: w.int(0, 200),
        controlled: w.chance(CONTROLLED_SHARE),
      },
    };
  }
  return { type: 'stock-item', id: w.pick(stock), op: 'adjust', creates: false, payload: stockAdjustment(w) };
}
