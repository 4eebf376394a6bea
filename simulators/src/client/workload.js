/** Share of created stock items that are controlled substances (the deliberate permission-lost share). */
export const CONTROLLED_SHARE = 0.15;
const GIVEN = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Leslie'];
const FAMILY = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Lamport'];
const ENCOUNTER_REASONS = ['check-up', 'follow-up', 'vaccination', 'lab results', 'referral'];
/** Encounter status in its forward-only order (clinic TR §3). */
const STATUS = ['planned', 'in-progress', 'finished'];
/** Stock adjustments: receipts add, dispensing and waste remove, corrections go either way (clinic TR §5). */
const ADJUST_REASONS = ['receive', 'dispense', 'waste', 'correction'];
/**
 * What a device itself last did to an encounter's status (0 planned, 1 in-progress, 2 finished),
 * kept per device — keyed by the device's own map of known aggregates — so its users only move a
 * status forward from what they last saw. Encounters learnt from others are not in it: for them a
 * user either finishes the encounter (never backwards) or edits only the reason.
 */
const statusSeen = new WeakMap();
function birthDate(r) {
    const y = r.int(1930, 2020);
    const m = r.int(1, 12);
    const d = r.int(1, 28);
    return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}
function knownOf(known, type) {
    return known.get(type) ?? [];
}
function seenOf(known) {
    let seen = statusSeen.get(known);
    if (seen === undefined)
        statusSeen.set(known, (seen = new Map()));
    return seen;
}
/** A forward-only encounter update from what the device last saw (`rank`, or unknown). */
function encounterUpdate(w, rank) {
    const reasonOnly = () => ({
        payload: { reason: w.pick(ENCOUNTER_REASONS) },
        rank,
    });
    if (rank === undefined)
        return w.chance(0.3) ? { payload: { status: 'finished' }, rank: 2 } : reasonOnly();
    if (rank >= 2)
        return reasonOnly();
    const roll = w.int(0, 9);
    if (roll < 2)
        return reasonOnly();
    const next = rank === 0 && roll < 8 ? 1 : 2;
    return { payload: { status: STATUS[next] }, rank: next };
}
/** A non-zero stock adjustment with a reason that fits its sign. */
function stockAdjustment(w) {
    const reason = w.pick(ADJUST_REASONS);
    const size = w.int(1, 25);
    const delta = reason === 'receive' ? size + 5 : reason === 'correction' ? (w.chance(0.5) ? size : -size) : -size;
    return { delta, reason };
}
/**
 * Plans the next user action. `authoredAt` is the device's (possibly skewed) clock reading.
 * `mrnPool` bounds medical record numbers per tenant so duplicates (manual conflicts) happen.
 */
export function planMutation(w, ids, known, authoredAt, mrnPool) {
    const roll = w.int(0, 99);
    const patients = knownOf(known, 'patient');
    const anyPatient = () => (patients.length > 0 ? w.pick(patients) : ids.uuid());
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
        if (rank !== undefined)
            seen.set(id, rank);
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
