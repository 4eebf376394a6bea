/**
 * The indexed checkers (dense mutation numbers, columns) against the original string-map checkers
 * kept in test/support/reference-checkers.ts: on real simulation histories — clean and with planted
 * defects — and on thousands of seeded random corruptions of them, every checker must give the same
 * verdict, message, violation count and witness — whether they read the bare array or the same
 * entries recorded through `History` (indexed while recorded, witnesses decoded from its lines).
 */
import { describe, expect, test } from 'vitest';
import { runChecker } from '../../src/checkers/checker.js';
import { ALL_CHECKERS } from '../../src/checkers/index.js';
import type { HistoryEntry } from '../../src/history/history-entry.js';
import { History } from '../../src/history/history.js';
import { createRandom, type Random } from '../../src/env/random.js';
import { runSimulation } from '../../src/run/run-simulation.js';
import { scenarioFromOptions } from '../../src/scenario/scenario.js';
import { parseFaultList } from '../../src/faults/fault-menu.js';
import { createReferenceServer } from '../../src/target/reference-server.js';
import { ORACLE_CHECKERS } from '../support/reference-checkers.js';
import { cleanHistory } from '../support/history-builder.js';

/** Verdicts the oracle gave, so each test can show its corruptions were caught, not all passed. */
const seen = new Map<string, number>();

/** Histories compared, and how many of them also as a recorded `History`. */
const recordedCount = { compared: 0, recorded: 0 };

/** The entries recorded through `History`, or undefined when recording refuses one (a corrupted entry). */
function record(entries: readonly HistoryEntry[]): History | undefined {
  const h = new History();
  try {
    for (const e of entries) h.add(e);
  } catch {
    return undefined;
  }
  return h;
}

function compare(entries: readonly HistoryEntry[], label: string): void {
  const recorded = record(entries);
  recordedCount.compared++;
  if (recorded !== undefined) recordedCount.recorded++;
  for (const oracle of ORACLE_CHECKERS) {
    const indexed = ALL_CHECKERS.find((c) => c.name === oracle.name)!;
    const want = runChecker(oracle, entries);
    const got = runChecker(indexed, entries);
    // Requirement IDs are declarations, not results: only the verdicts and their evidence must match.
    expect({ ...got, requirements: [] }, `${oracle.name} on ${label}`).toEqual({ ...want, requirements: [] });
    if (recorded !== undefined) {
      const fromRecording = runChecker(indexed, recorded);
      expect({ ...fromRecording, requirements: [] }, `${oracle.name} on ${label}, recorded`).toEqual({ ...want, requirements: [] });
    }
    const key = `${oracle.name}:${want.verdict}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
}

/** Every oracle checker failed at least `min` of the histories compared since the last call. */
function expectFailuresSeen(min: number): void {
  for (const c of ORACLE_CHECKERS) expect(seen.get(`${c.name}:fail`) ?? 0, `${c.name} failures`).toBeGreaterThanOrEqual(min);
  seen.clear();
  // Nearly every corrupted history is also checked as a recording (the recorder refuses only
  // entries whose ids are not strings).
  expect(recordedCount.recorded, 'histories also checked as recordings').toBeGreaterThanOrEqual(recordedCount.compared * 0.9);
  recordedCount.compared = 0;
  recordedCount.recorded = 0;
}

type Mutable = Record<string, unknown> & { k: string };

/** One seeded corruption of a history (entries edited are copied, never changed in place). */
function corrupt(entries: HistoryEntry[], r: Random): void {
  const pickIndex = (pred: (e: HistoryEntry) => boolean): number => {
    for (let tries = 0; tries < 50; tries++) {
      const i = r.int(0, entries.length - 1);
      if (pred(entries[i]!)) return i;
    }
    return -1;
  };
  const pickValue = (field: string): unknown => {
    const i = pickIndex((e) => field in e);
    return i === -1 ? undefined : (entries[i] as unknown as Mutable)[field];
  };
  const edit = (i: number, f: (e: Mutable) => void): void => {
    if (i === -1) return;
    const copy = { ...(entries[i] as unknown as Mutable) };
    f(copy);
    entries[i] = copy as unknown as HistoryEntry;
  };
  const isFinalPhase = (e: HistoryEntry): boolean => e.k === 'phase' && e.phase === 'final';
  switch (r.int(0, 11)) {
    case 0:
      entries.splice(pickIndex((e) => !isFinalPhase(e)), 1);
      break;
    case 1: {
      const i = pickIndex(() => true);
      if (i !== -1) entries.splice(r.int(i, entries.length), 0, { ...entries[i]! });
      break;
    }
    case 2:
      edit(pickIndex((e) => 'tenant' in e), (e) => (e.tenant = pickValue('tenant')));
      break;
    case 3:
      edit(pickIndex((e) => 'version' in e), (e) => (e.version = (e.version as number) + (r.chance(0.5) ? 1 : -1)));
      break;
    case 4: {
      const id = pickValue('eventId') ?? pickValue('id');
      edit(pickIndex((e) => e.k === 'outcome' || e.k === 'log' || e.k === 'event'), (e) => (e.k === 'event' ? (e.id = id) : (e.eventId = id)));
      break;
    }
    case 5:
      edit(pickIndex((e) => 'cmid' in e), (e) => (e.cmid = pickValue('cmid')));
      break;
    case 6:
      edit(pickIndex((e) => e.k === 'capture'), (e) => {
        const what = r.int(0, 2);
        if (what === 0) e.dev = pickValue('dev');
        else if (what === 1) e.seq = (e.seq as number) + 1;
        else e.agg = pickValue('agg');
      });
      break;
    case 7:
      edit(pickIndex((e) => e.k === 'event'), (e) => {
        const what = r.int(0, 2);
        if (what === 0) e.subject = `sync.${String(pickValue('tenant'))}.clinic.note.appended`;
        else if (what === 1) e.redelivery = e.redelivery !== true;
        else e.cmid = null;
      });
      break;
    case 8:
      edit(pickIndex((e) => e.k === 'outcome'), (e) => {
        if (r.chance(0.5)) e.status = r.pick(['applied', 'rejected', 'conflict', 'blocked']);
        else e.req = (e.req as number) + r.int(-3, 3);
      });
      break;
    case 9:
      edit(pickIndex((e) => e.k === 'log'), (e) => {
        e.op = 'resolve';
        e.cmid = `resolve:${String(pickValue('conflictId') ?? 'none')}`;
      });
      break;
    case 10:
      edit(pickIndex((e) => e.k === 'push'), (e) => {
        const cmids = [...(e.cmids as string[])];
        if (cmids.length > 1 && r.chance(0.5)) cmids.reverse();
        else cmids.push(String(pickValue('cmid')));
        e.cmids = cmids;
      });
      break;
    default:
      edit(pickIndex((e) => e.k === 'final-queue'), (e) => (e.pending = [String(pickValue('cmid'))]));
  }
}

describe('indexed checkers agree with the string-map oracle', () => {
  test('on the hand-made clean history and 400 corruptions of it', () => {
    compare(cleanHistory().entries, 'clean hand-made history');
    const r = createRandom(7);
    for (let n = 0; n < 400; n++) {
      const h = cleanHistory().entries;
      for (let k = r.int(1, 3); k > 0; k--) corrupt(h, r);
      compare(h, `hand-made corruption #${n}`);
    }
    expectFailuresSeen(10);
  });

  test.each([null, 'dedup-ignores-tenant', 'reapply-duplicates', 'lost-update'])(
    'on simulated histories (defect %s) and 150 corruptions of each',
    async (defect) => {
      for (const seed of [1]) {
        const scenario = scenarioFromOptions({ seed, clients: 6, hours: 2, mutations: 250, faults: parseFaultList('all'), defect });
        const run = await runSimulation(scenario, createReferenceServer);
        const base = run.history.entries;
        compare(base, `seed ${seed} defect ${defect}`);
        const r = createRandom(seed * 31 + 1);
        for (let n = 0; n < 150; n++) {
          const h = [...base];
          for (let k = r.int(1, 4); k > 0; k--) corrupt(h, r);
          compare(h, `seed ${seed} defect ${defect} corruption #${n}`);
        }
      }
      expectFailuresSeen(5);
    },
    60_000,
  );
});
