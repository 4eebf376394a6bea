/**
 * One linear pass that indexes what several checkers look up: captures and logged changes by
 * (tenant, clientMutationId), changes by event id. Keys are nested maps (tenant → id → entry)
 * rather than concatenated strings, so a million-mutation history costs no key allocation. The
 * index is cached per history array (and rebuilt if the array's length changed).
 */
import type { CaptureEntry, HistoryEntry, LogEntry } from '../history/history-entry.js';

/** Entries of one kind. */
export type EntriesOf<K extends HistoryEntry['k']> = Extract<HistoryEntry, { k: K }>[];

/** Every entry grouped by kind, history order kept within a kind. */
export type Kinds = { [K in HistoryEntry['k']]: EntriesOf<K> };

const KIND_NAMES: readonly HistoryEntry['k'][] = [
  'meta', 'phase', 'capture', 'capture-aborted', 'push', 'outcome', 'unknown', 'request-error', 'surface', 'resolve', 'fault',
  'crash', 'restart', 'event', 'audit', 'log', 'final-agg', 'final-conflict', 'final-replica', 'final-queue',
];

/** Map of maps keyed by tenant then id. */
export class TenantMap<V> {
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
export interface HistoryIndex {
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
export function historyIndex(entries: readonly HistoryEntry[]): HistoryIndex {
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
