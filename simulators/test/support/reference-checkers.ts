/**
 * The checkers as first written — string-keyed maps, one look-up per reference — kept as an
 * oracle: the indexed checkers in src/checkers must reach the same verdicts, messages, counts and
 * witnesses on any history (see checkers-oracle.test.ts). Not used outside tests.
 */
import type { CaptureEntry, EventEntry, FinalQueueEntry, HistoryEntry, LogEntry, OutcomeEntry } from '../../src/history/history-entry.js';
import { type Checker, type CheckFinding, Violations, isDecided } from '../../src/checkers/checker.js';
/** Entries of one kind. */
type EntriesOf<K extends HistoryEntry['k']> = Extract<HistoryEntry, { k: K }>[];

/** Every entry grouped by kind, history order kept within a kind. */
type Kinds = { [K in HistoryEntry['k']]: EntriesOf<K> };

const KIND_NAMES: readonly HistoryEntry['k'][] = [
  'meta', 'phase', 'capture', 'capture-aborted', 'push', 'outcome', 'unknown', 'request-error', 'surface', 'resolve', 'fault',
  'crash', 'restart', 'event', 'audit', 'log', 'final-agg', 'final-conflict', 'final-replica', 'final-queue',
];

/** Map of maps keyed by tenant then id. */
class TenantMap<V> {
  private readonly byTenant = new Map<string, Map<string, V>>();
  private lastTenant: string | undefined;
  private lastMap: Map<string, V> | undefined;

  private inner(tenant: string, create: boolean): Map<string, V> | undefined {
    if (tenant === this.lastTenant) return this.lastMap;
    let m = this.byTenant.get(tenant);
    if (m === undefined) {
      if (!create) return undefined;
      this.byTenant.set(tenant, (m = new Map()));
    }
    this.lastTenant = tenant;
    this.lastMap = m;
    return m;
  }

  get(tenant: string, id: string): V | undefined {
    return this.inner(tenant, false)?.get(id);
  }

  has(tenant: string, id: string): boolean {
    return this.inner(tenant, false)?.has(id) ?? false;
  }

  set(tenant: string, id: string, v: V): void {
    (this.inner(tenant, true) as Map<string, V>).set(id, v);
  }

  /** Number of entries over all tenants. */
  get size(): number {
    let n = 0;
    for (const m of this.byTenant.values()) n += m.size;
    return n;
  }

  /** Every value, tenant by tenant. */
  *values(): Generator<V> {
    for (const m of this.byTenant.values()) yield* m.values();
  }
}

/** What the index holds. */
interface HistoryIndex {
  /** The history reached its final read-back. */
  readonly final: boolean;
  /** Entries by kind: checkers walk only the kinds they read (one megamorphic pass, here). */
  readonly kinds: Kinds;
  readonly captures: readonly CaptureEntry[];
  /** tenant → cmid → capture. */
  readonly captureOf: TenantMap<CaptureEntry>;
  /** tenant → cmid → first logged change of that mutation (resolutions excluded). */
  readonly logOf: TenantMap<LogEntry>;
  /** Later logged changes of a mutation already logged (each paired with the first). */
  readonly extraLogs: readonly (readonly [LogEntry, LogEntry])[];
  /** event id → first logged change carrying it. */
  readonly logByEvent: ReadonlyMap<string, LogEntry>;
  /** Logged changes whose event id was already taken by an earlier change. */
  readonly sharedEventIds: readonly (readonly [LogEntry, LogEntry])[];
  readonly logCount: number;
}

const cache = new WeakMap<readonly HistoryEntry[], { length: number; index: HistoryIndex }>();

/** Indexes a history (cached). */
function historyIndex(entries: readonly HistoryEntry[]): HistoryIndex {
  const hit = cache.get(entries);
  if (hit !== undefined && hit.length === entries.length) return hit.index;
  const kinds = {} as Record<string, HistoryEntry[]>;
  for (const k of KIND_NAMES) kinds[k] = [];
  for (const e of entries) {
    let list = kinds[e.k];
    if (list === undefined) kinds[e.k] = list = [];
    list.push(e);
  }
  const k = kinds as unknown as Kinds;
  let final = false;
  for (const e of k.phase) if (e.phase === 'final') final = true;
  const captures = k.capture;
  const captureOf = new TenantMap<CaptureEntry>();
  for (const e of captures) captureOf.set(e.tenant, e.cmid, e);
  const logOf = new TenantMap<LogEntry>();
  const extraLogs: [LogEntry, LogEntry][] = [];
  const logByEvent = new Map<string, LogEntry>();
  const sharedEventIds: [LogEntry, LogEntry][] = [];
  for (const e of k.log) {
    const sameEvent = logByEvent.get(e.eventId);
    if (sameEvent === undefined) logByEvent.set(e.eventId, e);
    else sharedEventIds.push([sameEvent, e]);
    if (e.op === 'resolve') continue;
    const first = logOf.get(e.tenant, e.cmid);
    if (first === undefined) logOf.set(e.tenant, e.cmid, e);
    else extraLogs.push([first, e]);
  }
  const logCount = k.log.length;
  const index: HistoryIndex = { final, kinds: k, captures, captureOf, logOf, extraLogs, logByEvent, sharedEventIds, logCount };
  cache.set(entries, { length: entries.length, index });
  return index;
}
/** The no-silent-loss checker. */
const noSilentLoss: Checker = {
  name: 'no-silent-loss',
  requirements: ['OFS-SYNC-011', 'OFS-SYNC-014', 'OFS-SYNC-001', 'OFS-SYNC-010'],
  check(entries: readonly HistoryEntry[]): CheckFinding {
    const index = historyIndex(entries);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const applied = new TenantMap<OutcomeEntry>();
    const surfaced = new TenantMap<true>();
    const pendingAt = new TenantMap<FinalQueueEntry>();
    for (const e of index.kinds.outcome) {
      if (e.status === 'applied' && !applied.has(e.tenant, e.cmid)) applied.set(e.tenant, e.cmid, e);
    }
    for (const e of index.kinds.surface) surfaced.set(e.tenant, e.cmid, true);
    for (const e of index.kinds['final-queue']) for (const cmid of e.pending) pendingAt.set(e.tenant, cmid, e);
    const v = new Violations();
    for (const c of index.captures) {
      const ack = applied.get(c.tenant, c.cmid);
      if (ack !== undefined) {
        if (!index.logOf.has(c.tenant, c.cmid)) {
          v.add(
            `mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) was acknowledged applied at v${ack.version ?? '?'} but is not in the tenant's server log`,
            c,
            ack,
          );
        }
        continue;
      }
      if (surfaced.has(c.tenant, c.cmid)) continue;
      const queued = pendingAt.get(c.tenant, c.cmid);
      if (queued !== undefined) {
        // The witness names only this mutation of the device's final queue (minimal witness).
        v.add(`mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) is still queued after the liveness phase`, c, {
          ...queued,
          pending: [c.cmid],
        });
      } else {
        v.add(`mutation ${c.cmid} (tenant ${c.tenant}, ${c.agg}) left the queue without being applied or surfaced`, c);
      }
    }
    return v.finding(`${index.captures.length} captured mutations all applied or surfaced`);
  },
};
/** The exactly-once checker. */
const exactlyOnce: Checker = {
  name: 'exactly-once',
  requirements: ['OFS-IDEM-013', 'OFS-IDEM-002'],
  check(entries: readonly HistoryEntry[]): CheckFinding {
    const index = historyIndex(entries);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    for (const [first, e] of index.extraLogs) {
      v.add(`mutation ${e.cmid} (tenant ${e.tenant}) took effect twice: ${first.agg} v${first.version} and ${e.agg} v${e.version}`, first, e);
    }
    const firstDecided = new TenantMap<OutcomeEntry>();
    let outcomes = 0;
    for (const e of index.kinds.outcome) {
      if (!isDecided(e)) continue;
      outcomes++;
      const first = firstDecided.get(e.tenant, e.cmid);
      if (first === undefined) {
        firstDecided.set(e.tenant, e.cmid, e);
        const change = index.logOf.get(e.tenant, e.cmid);
        if (e.status === 'applied') {
          if (change !== undefined && change.version !== e.version) {
            v.add(`mutation ${e.cmid} answered applied at v${e.version} but the log has it at v${change.version}`, e, change);
          }
        } else if (change !== undefined) {
          v.add(`mutation ${e.cmid} answered ${e.status} but the log shows it applied at v${change.version}`, e, change);
        }
        continue;
      }
      if (first.status !== e.status) {
        v.add(`mutation ${e.cmid} (tenant ${e.tenant}) answered ${first.status} then ${e.status}`, first, e);
      } else if (e.status === 'applied' && (first.version !== e.version || first.eventId !== e.eventId)) {
        v.add(`mutation ${e.cmid} answered applied twice with different results (v${first.version} vs v${e.version})`, first, e);
      } else if (e.status === 'conflict' && first.conflictId !== e.conflictId) {
        v.add(`mutation ${e.cmid} answered conflict twice with different conflicts`, first, e);
      }
    }
    return v.finding(`${index.logOf.size} logged changes and ${outcomes} decided answers are consistent with one effect each`);
  },
};
/** The per-aggregate order checker. */
const perAggregateOrder: Checker = {
  name: 'per-aggregate-order',
  requirements: ['OFS-SYNC-002', 'OFS-SYNC-003'],
  check(entries: readonly HistoryEntry[]): CheckFinding {
    const index = historyIndex(entries);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    const lastSeq = new Map<string, CaptureEntry>(); // dev → last capture
    for (const e of index.captures) {
      const prev = lastSeq.get(e.dev);
      const expected = prev === undefined ? 1 : prev.seq + 1;
      if (e.seq !== expected) v.add(`device ${e.dev} numbered a capture ${e.seq}, expected ${expected}`, prev, e);
      lastSeq.set(e.dev, e);
    }
    for (const e of index.kinds.push) {
      let prevSeq = 0;
      let prevCap: CaptureEntry | undefined;
      for (const cmid of e.cmids) {
        const c = index.captureOf.get(e.tenant, cmid);
        if (c === undefined || c.dev !== e.dev) continue; // foreign mutation: the tenant-isolation checker reports it
        if (c.seq <= prevSeq) v.add(`push ${e.req} of ${e.dev} lists clientSeq ${c.seq} after ${prevSeq}`, prevCap, c, e);
        prevSeq = c.seq;
        prevCap = c;
      }
    }
    const last = new TenantMap<{ version: number; capture: CaptureEntry; change: LogEntry }>(); // dev → agg → last applied
    let pairs = 0;
    for (const e of index.captures) {
      const change = index.logOf.get(e.tenant, e.cmid);
      if (change === undefined) continue;
      const prev = last.get(e.dev, e.agg);
      if (prev !== undefined) {
        pairs++;
        if (change.version <= prev.version) {
          v.add(
            `${e.agg}: ${e.dev} captured ${prev.capture.cmid} before ${e.cmid} but they applied at v${prev.version} and v${change.version}`,
            prev.capture,
            e,
            prev.change,
            change,
          );
        }
      }
      last.set(e.dev, e.agg, { version: change.version, capture: e, change });
    }
    return v.finding(`${pairs} same-device same-aggregate pairs applied in capture order`);
  },
};
const RESOLVE_PREFIX = 'resolve:';

/** The tenant-isolation checker. */
const tenantIsolation: Checker = {
  name: 'tenant-isolation',
  requirements: ['OFS-TEN-003', 'OFS-TEN-005', 'OFS-TEN-007', 'OFS-IDEM-004', 'OFS-TEN-006'],
  check(entries: readonly HistoryEntry[]): CheckFinding {
    const index = historyIndex(entries);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    const tenantAggs = new TenantMap<true>();
    for (const c of index.captures) tenantAggs.set(c.tenant, c.agg, true);
    const conflictIds = new TenantMap<true>(); // resolution changes carry `resolve:<conflictId>`
    for (const e of index.kinds['final-conflict']) conflictIds.set(e.tenant, e.conflictId, true);
    const ownedBy = (tenant: string, cmid: string): boolean =>
      cmid.startsWith(RESOLVE_PREFIX) ? conflictIds.has(tenant, cmid.slice(RESOLVE_PREFIX.length)) : index.captureOf.has(tenant, cmid);
    let checked = 0;
    for (const e of index.kinds.push) {
      for (const cmid of e.cmids) {
        checked++;
        const c = index.captureOf.get(e.tenant, cmid);
        if (c === undefined || c.dev !== e.dev) {
          v.add(`device ${e.dev} uploaded ${cmid} under tenant ${e.tenant}'s token but did not capture it there`, e, c);
        }
      }
    }
    for (const e of index.kinds.log) {
      checked++;
      if (!tenantAggs.has(e.tenant, e.agg)) v.add(`tenant ${e.tenant}'s log holds ${e.agg}, which no device of that tenant wrote`, e);
    }
    for (const e of index.kinds.event) {
      checked++;
      const dot = e.subject.indexOf('.');
      const subjectTenant = e.subject.slice(dot + 1, e.subject.indexOf('.', dot + 1));
      if (subjectTenant !== e.tenant) {
        v.add(`event ${e.id} on ${e.subject} carries data tenant ${e.tenant}`, e);
      } else if (e.cmid !== null && !ownedBy(e.tenant, e.cmid)) {
        v.add(`event ${e.id} of tenant ${e.tenant} reports mutation ${e.cmid}, not captured in that tenant`, e);
      }
    }
    for (const e of index.kinds.outcome) {
      if (e.eventId === undefined) continue;
      checked++;
      const change = index.logByEvent.get(e.eventId);
      if (change !== undefined && change.tenant !== e.tenant) {
        v.add(
          `device ${e.dev} (tenant ${e.tenant}) got an answer for ${e.cmid} naming tenant ${change.tenant}'s change ${change.agg} v${change.version}`,
          index.captureOf.get(e.tenant, e.cmid),
          e,
          change,
        );
      }
    }
    return v.finding(`${checked} uploads, changes, events and answers stayed inside their tenant`);
  },
};
/** The event-per-applied checker. */
const eventPerApplied: Checker = {
  name: 'event-per-applied',
  requirements: ['OFS-EVT-005', 'OFS-EVT-006', 'OFS-EVT-008'],
  check(entries: readonly HistoryEntry[]): CheckFinding {
    const index = historyIndex(entries);
    if (!index.final) return { verdict: 'unknown', message: 'history has no final read-back phase' };
    const v = new Violations();
    for (const [first, e] of index.sharedEventIds) v.add(`two logged changes share event id ${e.eventId}`, first, e);
    const events = new Map<string, EventEntry>();
    let redeliveries = 0;
    for (const e of index.kinds.event) {
      if (e.redelivery === true) {
        redeliveries++;
        continue;
      }
      const first = events.get(e.id);
      if (first !== undefined) v.add(`the broker stored event ${e.id} twice as new`, first, e);
      else events.set(e.id, e);
    }
    for (const change of index.logByEvent.values()) {
      const ev = events.get(change.eventId);
      if (ev === undefined) {
        v.add(`${change.agg} v${change.version} (tenant ${change.tenant}) committed but no event was published`, change);
      } else if (ev.tenant !== change.tenant || ev.agg !== change.agg || ev.version !== change.version) {
        v.add(`event ${ev.id} reports ${ev.agg} v${ev.version} of ${ev.tenant}, the log has ${change.agg} v${change.version} of ${change.tenant}`, change, ev);
      }
    }
    for (const ev of events.values()) {
      if (!index.logByEvent.has(ev.id)) v.add(`event ${ev.id} (${ev.subject}) reports no committed change`, ev);
    }
    const extra = redeliveries > 0 ? `; ${redeliveries} redeliveries after the de-duplication window` : '';
    return v.finding(`${index.logByEvent.size} committed changes have exactly one event each${extra}`);
  },
};

/** The oracle checkers, by name. */
export const ORACLE_CHECKERS: readonly Checker[] = [noSilentLoss, exactlyOnce, perAggregateOrder, tenantIsolation, eventPerApplied];
