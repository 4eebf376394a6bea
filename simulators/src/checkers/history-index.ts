/**
 * The shared index every checker reads, built once per history: the positions of each kind's
 * entries, every mutation `(tenantId, clientMutationId)` turned into a dense integer, and the
 * fields checkers compare copied into columns parallel to each kind. Checkers loop over columns
 * and per-mutation arrays and touch entries only for witnesses and the few small kinds they read
 * whole — a million-mutation history is read once, not once per checker.
 *
 * A recorded history ({@link IndexedHistory}, which keeps its entries as text, not objects) is
 * indexed entry by entry as it is recorded, while each entry is hot; a bare array is indexed in
 * one pass on first use. Answers find their mutation through their request's push (no hashing);
 * other references through one probe of a typed-array hash table. The string fields checkers
 * compare are kept as columns of references (the strings are shared with the rest of the run), so
 * a checker decodes an entry only to report it. The index is cached per history (rebuilt if its
 * length changed).
 */
import type { CaptureEntry, EventEntry, HistoryEntry, LogEntry, OutcomeEntry, PushEntry } from '../history/history-entry.js';
import { ByteList, filled, FloatList, IntList, ScopedInterner, SmallInterner, stringHash } from './scoped-interner.js';

/** Entries of one kind. */
export type EntriesOf<K extends HistoryEntry['k']> = Extract<HistoryEntry, { k: K }>[];

/** Every entry grouped by kind, history order kept within a kind. */
export type Kinds = { [K in HistoryEntry['k']]: EntriesOf<K> };

const KIND_NAMES: readonly HistoryEntry['k'][] = [
  'meta', 'phase', 'capture', 'capture-aborted', 'push', 'outcome', 'unknown', 'request-error', 'surface', 'resolve-call', 'resolve', 'fault',
  'crash', 'restart', 'event', 'audit', 'log', 'final-agg', 'final-conflict', 'final-replica', 'final-queue',
];

/** Outcome status codes in {@link HistoryIndex.outcomeStatus}. */
export const STATUS_OTHER = 0;
export const STATUS_APPLIED = 1;
export const STATUS_REJECTED = 2;
export const STATUS_CONFLICT = 3;

/** A history the index reads: a bare array of entries, or a recording that indexed itself. */
export type HistorySource = readonly HistoryEntry[] | IndexedHistory;

/** A history that fed a {@link HistoryIndexBuilder} every entry as it was recorded (`History`). */
export interface IndexedHistory {
  /** Number of entries. */
  readonly length: number;
  /** The builder fed every entry, in order. */
  readonly indexer: HistoryIndexBuilder;
}

/** Reads entry `i` of a history (decoding it if the history keeps text). */
export type EntryReader = (i: number) => HistoryEntry;

/** Positions in the history of every entry of each kind. */
export type KindPositions = { readonly [K in HistoryEntry['k']]: ArrayLike<number> };

/**
 * What the index holds. Columns named `<kind>X` run parallel to the kind's entries (`at[<kind>]`).
 * Numeric columns are typed arrays (outside the JS heap, nothing for the collector to trace);
 * string columns hold references to strings the run keeps anyway — one array slot each, where an
 * entry object cost a dozen.
 */
export interface HistoryIndex {
  /** The history reached its final read-back. */
  readonly final: boolean;
  /** Entry `i` of the history (decoded on demand from a recorded history: report witnesses only). */
  entry(i: number): HistoryEntry;
  /** Where each kind's entries are in the history. */
  readonly at: KindPositions;
  /**
   * Entries by kind, history order kept within a kind (each kind's list is built on first use):
   * for the small kinds only — the big ones are read through columns.
   */
  readonly kinds: Kinds;
  /** Capture `i` (`i` counts captures). */
  capture(i: number): CaptureEntry;
  push(i: number): PushEntry;
  outcome(i: number): OutcomeEntry;
  event(i: number): EventEntry;
  log(i: number): LogEntry;
  /** Every mutation the history names, numbered; scope = tenant. */
  readonly mutations: ScopedInterner;
  /** Device numbers (capturing and pushing devices). */
  readonly devices: SmallInterner;

  readonly captureMut: ArrayLike<number>;
  readonly captureDev: ArrayLike<number>;
  readonly captureSeq: ArrayLike<number>;
  /** `(device, aggregate)` pair number of each capture, 0 … `devAggCount - 1`. */
  readonly captureDevAgg: ArrayLike<number>;
  readonly devAggCount: number;
  /** Aggregate (`<type>:<id>`) of each capture. */
  readonly captureAgg: readonly string[];

  /** Push `i` lists mutations `pushMut[pushStart[i]] … pushMut[pushStart[i + 1] - 1]`. */
  readonly pushStart: ArrayLike<number>;
  readonly pushMut: ArrayLike<number>;
  readonly pushDev: ArrayLike<number>;

  readonly outcomeMut: ArrayLike<number>;
  /** {@link STATUS_APPLIED} … ; see {@link outcomeDecided}. */
  readonly outcomeStatus: ArrayLike<number>;
  /** 1 when the answer is a recorded decision (see `isDecided`). */
  readonly outcomeDecided: ArrayLike<number>;
  /** `version` of the answer (NaN when absent). */
  readonly outcomeVersion: ArrayLike<number>;
  /** Event id the answer carries, if any. */
  readonly outcomeEventId: readonly (string | undefined)[];
  /** Conflict id the answer names, if any. */
  readonly outcomeConflictId: readonly (string | undefined)[];
  /** Virtual time the device received the answer. */
  readonly outcomeT: ArrayLike<number>;

  readonly surfaceMut: ArrayLike<number>;

  /** -1 for an event without a clientMutationId. */
  readonly eventMut: ArrayLike<number>;
  readonly eventRedelivery: ArrayLike<number>;
  /** 1 when the event's clientMutationId is `resolve:<conflictId>` (a resolution's change). */
  readonly eventResolve: ArrayLike<number>;
  /** 1 when the subject's tenant token (`<prefix>.<tenant>.…`) equals the data tenant. */
  readonly eventSubjectOk: ArrayLike<number>;
  readonly eventId: readonly string[];
  /** Data tenant of the event. */
  readonly eventTenant: readonly string[];
  readonly eventAgg: readonly string[];
  readonly eventVersion: ArrayLike<number>;

  readonly logMut: ArrayLike<number>;
  readonly logResolve: ArrayLike<number>;
  readonly logVersion: ArrayLike<number>;
  readonly logAgg: readonly string[];
  readonly logEventId: readonly string[];

  /** Tenant, aggregate and version of each `final-agg` entry. */
  readonly finalAggTenant: readonly string[];
  readonly finalAggAgg: readonly string[];
  readonly finalAggVersion: ArrayLike<number>;

  /** Final queue `i` holds mutations `queueMut[queueStart[i]] … queueMut[queueStart[i + 1] - 1]`. */
  readonly queueStart: ArrayLike<number>;
  readonly queueMut: ArrayLike<number>;

  /** mutation → index in `captures` of its (last) capture, or -1. */
  readonly captureOf: ArrayLike<number>;
  /** mutation → index in `kinds.log` of its first logged change (resolutions excluded), or -1. */
  readonly logOf: ArrayLike<number>;
  /** mutation → index in `kinds.log` of its first logged change of any op, or -1. */
  readonly logAnyOf: ArrayLike<number>;
  /** Mutations with a logged change (resolutions excluded). */
  readonly loggedMutations: number;
  /** Later logged changes of a mutation already logged (log indices, each paired with the first). */
  readonly extraLogs: readonly (readonly [number, number])[];
  /** Logged changes whose event id was already taken by an earlier change (log indices, paired with the first). */
  readonly sharedEventIds: readonly (readonly [number, number])[];
  /** Number of distinct event ids in the log. */
  readonly logEventIds: number;
  /** event id → index in `kinds.log` of the first change carrying it (built on first use). */
  logByEvent(): ReadonlyMap<string, number>;
  readonly logCount: number;
}

const cache = new WeakMap<HistorySource, { length: number; index: HistoryIndex }>();

/**
 * Indexes a history (cached). A recorded history was indexed entry by entry as it was recorded,
 * while each entry was still hot; only the per-mutation tables are left to finish here. A bare
 * array is indexed in one pass now.
 */
export function historyIndex(history: HistorySource): HistoryIndex {
  const hit = cache.get(history);
  if (hit !== undefined && hit.length === history.length) return hit.index;
  let builder: HistoryIndexBuilder;
  if (isEntryArray(history)) {
    const entries = history;
    builder = new HistoryIndexBuilder((i) => entries[i] as HistoryEntry, sizesOf(entries));
    for (let i = 0; i < entries.length; i++) builder.add(entries[i] as HistoryEntry, i);
  } else {
    builder = history.indexer;
    if (builder.count !== history.length) throw new Error(`history index out of step: ${builder.count} of ${history.length} entries indexed`);
  }
  const index = builder.build();
  cache.set(history, { length: history.length, index });
  return index;
}

function isEntryArray(history: HistorySource): history is readonly HistoryEntry[] {
  return Array.isArray(history);
}

/** Entries per kind and pushed mutations of a bare history (one cheap pass over `k`). */
function sizesOf(entries: readonly HistoryEntry[]): { kinds: Record<HistoryEntry['k'], number>; pushed: number } {
  const kinds = {} as Record<HistoryEntry['k'], number>;
  for (const name of KIND_NAMES) kinds[name] = 0;
  let pushed = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as HistoryEntry;
    if (kinds[e.k] !== undefined) kinds[e.k]++;
    if (e.k === 'push') pushed += e.cmids.length;
  }
  return { kinds, pushed };
}

/** Drops the cached index of a history (a recorded history keeps its builder): for benchmarks. */
export function forgetIndex(history: HistorySource): void {
  cache.delete(history);
}

/** Prefix of the clientMutationId a resolution's change carries. */
export const RESOLVE_PREFIX = 'resolve:';

/** The second dot-separated token of a subject (`<prefix>.<tenant>.…`). */
export function subjectTenant(subject: string): string {
  const dot = subject.indexOf('.');
  return subject.slice(dot + 1, subject.indexOf('.', dot + 1));
}

/** `subjectTenant(subject) === tenant`, without building the token. */
export function subjectNamesTenant(subject: string, tenant: string): boolean {
  const start = subject.indexOf('.') + 1;
  const next = subject.indexOf('.', start);
  const end = next < 0 ? subject.length + next : next; // slice's reading of a negative end
  return Math.max(0, end - start) === tenant.length && (tenant.length === 0 || subject.startsWith(tenant, start));
}

/** Largest gap between request numbers indexed directly (beyond: answers fall back to hashing). */
const MAX_REQ_GAP = 4096;
/**
 * Pushes whose mutation lists are kept to match answers against (a ring): an answer comes back
 * within a request timeout of its push, and an older one falls back to hashing — same number.
 */
const RECENT_PUSHES = 1024;

/** Builds a {@link HistoryIndex} one entry at a time (positions must be 0, 1, 2, …). */
export class HistoryIndexBuilder {
  /** Entries added so far. */
  count = 0;
  private final = false;
  private readonly at = {} as Record<HistoryEntry['k'], IntList>;
  private readonly mutations: ScopedInterner;
  private readonly devices = new SmallInterner();
  private readonly devAggs: ScopedInterner;
  private readonly captureMut: IntList;
  private readonly captureDev: IntList;
  private readonly captureSeq: FloatList;
  private readonly captureDevAgg: IntList;
  private readonly captureAgg: string[] = [];
  private readonly pushStart: IntList;
  private readonly pushMut: IntList;
  private readonly pushDev: IntList;
  /** Request number → push (dense; -1 where no push had that number). */
  private readonly pushOfReq: number[] = [];
  /** Mutation lists and tenants of the last {@link RECENT_PUSHES} pushes, by push number. */
  private readonly recentCmids: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(RECENT_PUSHES).fill(undefined);
  private readonly recentTenant: string[] = new Array<string>(RECENT_PUSHES).fill('');
  private readonly outcomeMut: IntList;
  private readonly outcomeStatus: ByteList;
  private readonly outcomeDecided: ByteList;
  private readonly outcomeVersion: FloatList;
  private readonly outcomeEventId: (string | undefined)[] = [];
  private readonly outcomeConflictId: (string | undefined)[] = [];
  private readonly outcomeT: FloatList;
  private readonly surfaceMut = new IntList();
  private readonly eventMut: IntList;
  private readonly eventRedelivery: ByteList;
  private readonly eventResolve: ByteList;
  private readonly eventSubjectOk: ByteList;
  private readonly eventId: string[] = [];
  private readonly eventTenant: string[] = [];
  private readonly eventAgg: string[] = [];
  private readonly eventVersion: FloatList;
  private readonly logMut: IntList;
  private readonly logResolve: ByteList;
  private readonly logVersion: FloatList;
  private readonly logAgg: string[] = [];
  private readonly logEventId: string[] = [];
  private readonly finalAggTenant: string[] = [];
  private readonly finalAggAgg: string[] = [];
  private readonly finalAggVersion = new FloatList();
  private readonly queueStart = new IntList();
  private readonly queueMut = new IntList();

  /**
   * `entryAt` reads back an entry by position (only to report witnesses and for the small kinds,
   * never while indexing). `sizes` presizes the columns when the history is known in advance (a
   * bare array), so they never regrow.
   */
  constructor(
    private readonly entryAt: EntryReader,
    sizes?: { readonly kinds: Readonly<Record<HistoryEntry['k'], number>>; readonly pushed: number },
  ) {
    for (const name of KIND_NAMES) this.at[name] = new IntList(sizes?.kinds[name] ?? 1024);
    const n = (k: HistoryEntry['k']): number => sizes?.kinds[k] ?? 1024;
    this.mutations = new ScopedInterner(n('capture'));
    this.devAggs = new ScopedInterner(n('capture'));
    this.captureMut = new IntList(n('capture'));
    this.captureDev = new IntList(n('capture'));
    this.captureSeq = new FloatList(n('capture'));
    this.captureDevAgg = new IntList(n('capture'));
    this.pushStart = new IntList(n('push'));
    this.pushMut = new IntList(sizes?.pushed ?? 1024);
    this.pushDev = new IntList(n('push'));
    this.outcomeMut = new IntList(n('outcome'));
    this.outcomeStatus = new ByteList(n('outcome'));
    this.outcomeDecided = new ByteList(n('outcome'));
    this.outcomeVersion = new FloatList(n('outcome'));
    this.outcomeT = new FloatList(n('outcome'));
    this.eventMut = new IntList(n('event'));
    this.eventRedelivery = new ByteList(n('event'));
    this.eventResolve = new ByteList(n('event'));
    this.eventSubjectOk = new ByteList(n('event'));
    this.eventVersion = new FloatList(n('event'));
    this.logMut = new IntList(n('log'));
    this.logResolve = new ByteList(n('log'));
    this.logVersion = new FloatList(n('log'));
  }

  /** Entries of `kind` added so far. */
  countOf(kind: HistoryEntry['k']): number {
    return this.at[kind].length;
  }

  /** Indexes `e`, the entry at position `i` of the history. */
  add(e: HistoryEntry, i: number): void {
    this.count++;
    // Each case touches one entry shape, so its property reads stay monomorphic.
    switch (e.k) {
      case 'capture':
        this.at.capture.push(i);
        this.captureMut.push(this.mutations.intern(e.tenant, e.cmid));
        this.captureDev.push(this.devices.intern(e.dev));
        this.captureSeq.push(e.seq);
        this.captureDevAgg.push(this.devAggs.intern(e.dev, e.agg));
        this.captureAgg.push(e.agg);
        break;
      case 'push': {
        const p = this.at.push.length;
        this.at.push.push(i);
        this.pushStart.push(this.pushMut.length);
        this.pushDev.push(this.devices.intern(e.dev));
        for (const cmid of e.cmids) this.pushMut.push(this.mutations.intern(e.tenant, cmid));
        this.recentCmids[p & (RECENT_PUSHES - 1)] = e.cmids;
        this.recentTenant[p & (RECENT_PUSHES - 1)] = e.tenant;
        const req = e.req;
        const byReq = this.pushOfReq;
        // Request numbers are dense from 1; a far jump would make the array sparse, so skip it.
        if (Number.isInteger(req) && req >= 0 && req <= byReq.length + MAX_REQ_GAP) {
          while (byReq.length < req) byReq.push(-1);
          byReq[req] = p;
        }
        break;
      }
      case 'outcome': {
        this.at.outcome.push(i);
        // The answer names a mutation of its request: find it in that push's list by reference.
        let m = -1;
        const p = this.pushOfReq[e.req] ?? -1;
        if (p !== -1 && p > this.at.push.length - 1 - RECENT_PUSHES && this.recentTenant[p & (RECENT_PUSHES - 1)] === e.tenant) {
          const cmids = this.recentCmids[p & (RECENT_PUSHES - 1)] as readonly string[];
          for (let j = 0; j < cmids.length; j++) {
            if (cmids[j] === e.cmid) {
              m = this.pushMut.get(this.pushStart.get(p) + j);
              break;
            }
          }
        }
        this.outcomeMut.push(m === -1 ? this.mutations.intern(e.tenant, e.cmid) : m);
        const s = e.status;
        const code = s === 'applied' ? STATUS_APPLIED : s === 'rejected' ? STATUS_REJECTED : s === 'conflict' ? STATUS_CONFLICT : STATUS_OTHER;
        this.outcomeStatus.push(code);
        this.outcomeDecided.push(code === STATUS_APPLIED || code === STATUS_CONFLICT || (code === STATUS_REJECTED && e.problem !== 'out-of-order') ? 1 : 0);
        this.outcomeVersion.push(e.version ?? Number.NaN);
        this.outcomeEventId.push(e.eventId);
        this.outcomeConflictId.push(e.conflictId);
        this.outcomeT.push(e.t);
        break;
      }
      case 'surface':
        this.at.surface.push(i);
        this.surfaceMut.push(this.mutations.intern(e.tenant, e.cmid));
        break;
      case 'event':
        this.at.event.push(i);
        this.eventMut.push(e.cmid === null ? -1 : this.mutations.intern(e.tenant, e.cmid));
        this.eventRedelivery.push(e.redelivery === true ? 1 : 0);
        this.eventResolve.push(e.cmid !== null && e.cmid.startsWith(RESOLVE_PREFIX) ? 1 : 0);
        this.eventSubjectOk.push(subjectNamesTenant(e.subject, e.tenant) ? 1 : 0);
        this.eventId.push(e.id);
        this.eventTenant.push(e.tenant);
        this.eventAgg.push(e.agg);
        this.eventVersion.push(e.version);
        break;
      case 'log':
        this.at.log.push(i);
        this.logMut.push(this.mutations.intern(e.tenant, e.cmid));
        this.logResolve.push(e.op === 'resolve' ? 1 : 0);
        this.logVersion.push(e.version);
        this.logAgg.push(e.agg);
        this.logEventId.push(e.eventId);
        break;
      case 'final-agg':
        this.at['final-agg'].push(i);
        this.finalAggTenant.push(e.tenant);
        this.finalAggAgg.push(e.agg);
        this.finalAggVersion.push(e.version);
        break;
      case 'final-queue':
        this.at['final-queue'].push(i);
        this.queueStart.push(this.queueMut.length);
        for (const cmid of e.pending) this.queueMut.push(this.mutations.intern(e.tenant, cmid));
        break;
      case 'phase':
        this.at.phase.push(i);
        if (e.phase === 'final') this.final = true;
        break;
      default:
        (this.at[e.k] as IntList | undefined)?.push(i); // a kind this version does not know is ignored
    }
  }

  /** The index of the entries added so far (the builder should not be fed afterwards). */
  build(): HistoryIndex {
    const entryAt = this.entryAt;
    const positions = {} as Record<HistoryEntry['k'], Int32Array>;
    for (const name of KIND_NAMES) positions[name] = this.at[name].toArray();
    const pushStart = this.pushStart.withLast(this.pushMut.length);
    const queueStart = this.queueStart.withLast(this.queueMut.length);
    const mutations = this.mutations;
    const n = mutations.size;
    const capMut = this.captureMut.toArray();
    const captureOf = filled(n, -1);
    for (let i = 0; i < capMut.length; i++) captureOf[capMut[i] as number] = i;

    const lMut = this.logMut.toArray();
    const lResolve = this.logResolve.toArray();
    const logOf = filled(n, -1);
    const logAnyOf = filled(n, -1);
    const extraLogs: [number, number][] = [];
    let loggedMutations = 0;
    for (let i = 0; i < lMut.length; i++) {
      const m = lMut[i] as number;
      if (logAnyOf[m] === -1) logAnyOf[m] = i;
      if (lResolve[i] === 1) continue;
      const first = logOf[m] as number;
      if (first === -1) {
        logOf[m] = i;
        loggedMutations++;
      } else extraLogs.push([first, i]);
    }
    const logEventId = this.logEventId;
    const { shared, distinct } = duplicateIds(logEventId);

    let byEvent: Map<string, number> | undefined;
    const logByEvent = (): ReadonlyMap<string, number> => {
      if (byEvent === undefined) {
        byEvent = new Map();
        for (let i = 0; i < logEventId.length; i++) {
          const id = logEventId[i] as string;
          if (!byEvent.has(id)) byEvent.set(id, i);
        }
      }
      return byEvent;
    };

    const kinds = {} as Kinds;
    for (const name of KIND_NAMES) {
      // Built on first use: checkers read the big kinds through positions and columns.
      Object.defineProperty(kinds, name, {
        configurable: true,
        enumerable: true,
        get() {
          const pos = positions[name];
          const list = new Array<HistoryEntry>(pos.length);
          for (let i = 0; i < pos.length; i++) list[i] = entryAt(pos[i] as number);
          Object.defineProperty(kinds, name, { value: list, enumerable: true });
          return list;
        },
      });
    }
    const pick = <T extends HistoryEntry>(pos: Int32Array) => (i: number): T => entryAt(pos[i] as number) as T;

    return {
      final: this.final,
      entry: entryAt,
      at: positions,
      kinds,
      capture: pick<CaptureEntry>(positions.capture),
      push: pick<PushEntry>(positions.push),
      outcome: pick<OutcomeEntry>(positions.outcome),
      event: pick<EventEntry>(positions.event),
      log: pick<LogEntry>(positions.log),
      mutations,
      devices: this.devices,
      captureMut: capMut,
      captureDev: this.captureDev.toArray(),
      captureSeq: this.captureSeq.toArray(),
      captureDevAgg: this.captureDevAgg.toArray(),
      devAggCount: this.devAggs.size,
      captureAgg: this.captureAgg,
      pushStart,
      pushMut: this.pushMut.toArray(),
      pushDev: this.pushDev.toArray(),
      outcomeMut: this.outcomeMut.toArray(),
      outcomeStatus: this.outcomeStatus.toArray(),
      outcomeDecided: this.outcomeDecided.toArray(),
      outcomeVersion: this.outcomeVersion.toArray(),
      outcomeEventId: this.outcomeEventId,
      outcomeConflictId: this.outcomeConflictId,
      outcomeT: this.outcomeT.toArray(),
      surfaceMut: this.surfaceMut.toArray(),
      eventMut: this.eventMut.toArray(),
      eventRedelivery: this.eventRedelivery.toArray(),
      eventResolve: this.eventResolve.toArray(),
      eventSubjectOk: this.eventSubjectOk.toArray(),
      eventId: this.eventId,
      eventTenant: this.eventTenant,
      eventAgg: this.eventAgg,
      eventVersion: this.eventVersion.toArray(),
      logMut: lMut,
      logResolve: lResolve,
      logVersion: this.logVersion.toArray(),
      logAgg: this.logAgg,
      logEventId,
      finalAggTenant: this.finalAggTenant,
      finalAggAgg: this.finalAggAgg,
      finalAggVersion: this.finalAggVersion.toArray(),
      queueStart,
      queueMut: this.queueMut.toArray(),
      captureOf,
      logOf,
      logAnyOf,
      loggedMutations,
      extraLogs,
      sharedEventIds: shared,
      logEventIds: distinct,
      logByEvent,
      logCount: lMut.length,
    };
  }
}

/**
 * Event ids carried by more than one logged change, without a map of all ids: sort the changes by
 * a 32-bit hash of their id (radix sort over typed arrays) and compare only neighbours with equal
 * hashes. Returns each later carrier paired with the first (log indices, in log order), and the
 * distinct count.
 */
function duplicateIds(ids: readonly string[]): { shared: [number, number][]; distinct: number } {
  const n = ids.length;
  if (n === 0) return { shared: [], distinct: 0 };
  let keys = new Uint32Array(n);
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = stringHash(ids[i] as string) >>> 0;
    order[i] = i;
  }
  // LSD radix sort, 16 bits at a time; stable, so equal hashes stay in log order.
  let keys2 = new Uint32Array(n);
  let order2 = new Int32Array(n);
  const count = new Int32Array(65537);
  for (let shift = 0; shift < 32; shift += 16) {
    count.fill(0);
    for (let i = 0; i < n; i++) (count[(((keys[i] as number) >>> shift) & 0xffff) + 1] as number)++;
    for (let b = 0; b < 65536; b++) count[b + 1] = (count[b + 1] as number) + (count[b] as number);
    for (let i = 0; i < n; i++) {
      const key = keys[i] as number;
      const at = (count[(key >>> shift) & 0xffff] as number)++;
      keys2[at] = key;
      order2[at] = order[i] as number;
    }
    [keys, keys2] = [keys2, keys];
    [order, order2] = [order2, order];
  }
  const pairs: [number, number][] = [];
  let distinct = n;
  for (let s = 0; s < n; ) {
    let e = s + 1;
    while (e < n && keys[e] === keys[s]) e++;
    // Within a run of equal hashes (almost always length 1), pair each id with its first carrier.
    for (let a = s + 1; a < e; a++) {
      const ia = order[a] as number;
      for (let b = s; b < a; b++) {
        const ib = order[b] as number;
        if (ids[ib] === ids[ia]) {
          pairs.push([ib, ia]);
          distinct--;
          break;
        }
      }
    }
    s = e;
  }
  // A run is in log order (the sort is stable), so the first equal id found is the first carrier.
  pairs.sort((x, y) => x[1] - y[1]);
  return { shared: pairs, distinct };
}
