/**
 * The shared index every checker reads, built once per history in one linear pass: entries grouped
 * by kind, every mutation `(tenantId, clientMutationId)` turned into a dense integer, and the
 * fields checkers compare copied into columns (typed arrays, or arrays of the entries' own string
 * references) parallel to each kind. Checkers then loop over columns and touch entry objects only
 * to build a witness — a million-mutation history is read once, not once per checker. Answers find
 * their mutation through their request's push (no hashing); everything else through one probe of a
 * typed-array hash table. The index is cached per history array (rebuilt if its length changed).
 */
import type { CaptureEntry, EventEntry, HistoryEntry, LogEntry, OutcomeEntry, PushEntry } from '../history/history-entry.js';
import { filled, ScopedInterner, SmallInterner, stringHash } from './scoped-interner.js';

/** Entries of one kind. */
export type EntriesOf<K extends HistoryEntry['k']> = Extract<HistoryEntry, { k: K }>[];

/** Every entry grouped by kind, history order kept within a kind. */
export type Kinds = { [K in HistoryEntry['k']]: EntriesOf<K> };

const KIND_NAMES: readonly HistoryEntry['k'][] = [
  'meta', 'phase', 'capture', 'capture-aborted', 'push', 'outcome', 'unknown', 'request-error', 'surface', 'resolve', 'fault',
  'crash', 'restart', 'event', 'audit', 'log', 'final-agg', 'final-conflict', 'final-replica', 'final-queue',
];

/** Outcome status codes in {@link HistoryIndex.outcomeStatus}. */
export const STATUS_OTHER = 0;
export const STATUS_APPLIED = 1;
export const STATUS_REJECTED = 2;
export const STATUS_CONFLICT = 3;

/** Positions in the history of every entry of each kind. */
export type KindPositions = { readonly [K in HistoryEntry['k']]: readonly number[] };

/**
 * What the index holds. Columns named `<kind>X` run parallel to the kind's entries (`at[<kind>]`);
 * they hold numbers only (typed arrays outside the JS heap), so indexing a huge history adds
 * little for the garbage collector to trace. String fields are read from the entries themselves,
 * in (nearly) history order.
 */
export interface HistoryIndex {
  /** The history reached its final read-back. */
  readonly final: boolean;
  /** The indexed history. */
  readonly entries: readonly HistoryEntry[];
  /** Where each kind's entries are in `entries`. */
  readonly at: KindPositions;
  /** Entries by kind, history order kept within a kind (each kind's list is built on first use). */
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

  readonly captureMut: readonly number[];
  readonly captureDev: readonly number[];
  readonly captureSeq: readonly number[];
  /** `(device, aggregate)` pair number of each capture, 0 … `devAggCount - 1`. */
  readonly captureDevAgg: readonly number[];
  readonly devAggCount: number;

  /** Push `i` lists mutations `pushMut[pushStart[i]] … pushMut[pushStart[i + 1] - 1]`. */
  readonly pushStart: readonly number[];
  readonly pushMut: readonly number[];
  readonly pushDev: readonly number[];

  readonly outcomeMut: readonly number[];
  /** {@link STATUS_APPLIED} … ; see {@link outcomeDecided}. */
  readonly outcomeStatus: readonly number[];
  /** 1 when the answer is a recorded decision (see `isDecided`). */
  readonly outcomeDecided: readonly number[];
  /** `version` of the answer (NaN when absent). */
  readonly outcomeVersion: readonly number[];
  /** 1 when the answer carries an event id. */
  readonly outcomeHasEventId: readonly number[];

  readonly surfaceMut: readonly number[];

  /** -1 for an event without a clientMutationId. */
  readonly eventMut: readonly number[];
  readonly eventRedelivery: readonly number[];
  /** 1 when the event's clientMutationId is `resolve:<conflictId>` (a resolution's change). */
  readonly eventResolve: readonly number[];
  /** 1 when the subject's tenant token (`<prefix>.<tenant>.…`) equals the data tenant. */
  readonly eventSubjectOk: readonly number[];

  readonly logMut: readonly number[];
  readonly logResolve: readonly number[];
  readonly logVersion: readonly number[];

  /** Final queue `i` holds mutations `queueMut[queueStart[i]] … queueMut[queueStart[i + 1] - 1]`. */
  readonly queueStart: readonly number[];
  readonly queueMut: readonly number[];

  /** mutation → index in `captures` of its (last) capture, or -1. */
  readonly captureOf: readonly number[];
  /** mutation → index in `kinds.log` of its first logged change (resolutions excluded), or -1. */
  readonly logOf: readonly number[];
  /** mutation → index in `kinds.log` of its first logged change of any op, or -1. */
  readonly logAnyOf: readonly number[];
  /** Mutations with a logged change (resolutions excluded). */
  readonly loggedMutations: number;
  /** Later logged changes of a mutation already logged (each paired with the first). */
  readonly extraLogs: readonly (readonly [LogEntry, LogEntry])[];
  /** Logged changes whose event id was already taken by an earlier change. */
  readonly sharedEventIds: readonly (readonly [LogEntry, LogEntry])[];
  /** Number of distinct event ids in the log. */
  readonly logEventIds: number;
  /** event id → index in `kinds.log` of the first change carrying it (built on first use). */
  logByEvent(): ReadonlyMap<string, number>;
  readonly logCount: number;
}

const cache = new WeakMap<readonly HistoryEntry[], { length: number; index: HistoryIndex }>();

/** Indexes a history (cached). */
export function historyIndex(entries: readonly HistoryEntry[]): HistoryIndex {
  const hit = cache.get(entries);
  if (hit !== undefined && hit.length === entries.length) return hit.index;
  const index = buildIndex(entries);
  cache.set(entries, { length: entries.length, index });
  return index;
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

function buildIndex(entries: readonly HistoryEntry[]): HistoryIndex {
  // Pass 1: sizes, so every column is allocated once at its final length (growing arrays would
  // leave as much garbage again for the collector to trace through the whole history).
  const count = {} as Record<HistoryEntry['k'], number>;
  for (const name of KIND_NAMES) count[name] = 0;
  let pushed = 0;
  let pending = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as HistoryEntry;
    const k = e.k;
    if (k === 'push') pushed += e.cmids.length;
    else if (k === 'final-queue') pending += e.pending.length;
    if (count[k] !== undefined) count[k]++; // a kind this version does not know is ignored
  }
  const nCapture = count.capture;
  const nPush = count.push;
  const nOutcome = count.outcome;
  const nEvent = count.event;
  const nLog = count.log;
  const at = {} as Record<HistoryEntry['k'], number[]>;
  for (const name of KIND_NAMES) at[name] = filled(count[name] as number, 0);
  const cursor = {} as Record<HistoryEntry['k'], number>;
  for (const name of KIND_NAMES) cursor[name] = 0;

  const mutations = new ScopedInterner(nCapture);
  const devices = new SmallInterner();
  const devAggs = new ScopedInterner(nCapture);
  const captureMut = filled(nCapture, 0);
  const captureDev = filled(nCapture, 0);
  const captureSeq = filled(nCapture, 0);
  const captureDevAgg = filled(nCapture, 0);
  const pushStart = filled(nPush + 1, 0);
  const pushMut = filled(pushed, 0);
  const pushDev = filled(nPush, 0);
  const pushOfReq: number[] = []; // request number → push
  const outcomeMut = filled(nOutcome, 0);
  const outcomeStatus = filled(nOutcome, 0);
  const outcomeDecided = filled(nOutcome, 0);
  const outcomeVersion = filled(nOutcome, 0);
  const outcomeHasEventId = filled(nOutcome, 0);
  const surfaceMut = filled(count.surface as number, 0);
  const eventMut = filled(nEvent, 0);
  const eventRedelivery = filled(nEvent, 0);
  const eventResolve = filled(nEvent, 0);
  const eventSubjectOk = filled(nEvent, 0);
  const logMut = filled(nLog, 0);
  const logResolve = filled(nLog, 0);
  const logVersion = filled(nLog, 0);
  const queueStart = filled((count['final-queue'] as number) + 1, 0);
  const queueMut = filled(pending, 0);
  let pm = 0;
  let qm = 0;
  let final = false;

  // Pass 2; each case touches one entry shape, so its property reads stay monomorphic.
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as HistoryEntry;
    switch (e.k) {
      case 'capture': {
        const c = cursor.capture++;
        at.capture[c] = i;
        captureMut[c] = mutations.intern(e.tenant, e.cmid);
        captureDev[c] = devices.intern(e.dev);
        captureSeq[c] = e.seq;
        captureDevAgg[c] = devAggs.intern(e.dev, e.agg);
        break;
      }
      case 'push': {
        const p = cursor.push++;
        at.push[p] = i;
        pushStart[p] = pm;
        pushDev[p] = devices.intern(e.dev);
        for (const cmid of e.cmids) pushMut[pm++] = mutations.intern(e.tenant, cmid);
        const req = e.req;
        // Request numbers are dense from 1; a far jump would make the array sparse, so skip it.
        if (Number.isInteger(req) && req >= 0 && req <= pushOfReq.length + MAX_REQ_GAP) {
          while (pushOfReq.length < req) pushOfReq.push(-1);
          pushOfReq[req] = p;
        }
        break;
      }
      case 'outcome': {
        const o = cursor.outcome++;
        at.outcome[o] = i;
        // The answer names a mutation of its request: find it in that push's list by reference.
        let m = -1;
        const p = pushOfReq[e.req] ?? -1;
        if (p !== -1) {
          const push = entries[at.push[p] as number] as PushEntry;
          if (push.tenant === e.tenant) {
            const cmids = push.cmids;
            for (let j = 0; j < cmids.length; j++) {
              if (cmids[j] === e.cmid) {
                m = pushMut[(pushStart[p] as number) + j] as number;
                break;
              }
            }
          }
        }
        outcomeMut[o] = m === -1 ? mutations.intern(e.tenant, e.cmid) : m;
        const s = e.status;
        const code = s === 'applied' ? STATUS_APPLIED : s === 'rejected' ? STATUS_REJECTED : s === 'conflict' ? STATUS_CONFLICT : STATUS_OTHER;
        outcomeStatus[o] = code;
        outcomeDecided[o] = code === STATUS_APPLIED || code === STATUS_CONFLICT || (code === STATUS_REJECTED && e.problem !== 'out-of-order') ? 1 : 0;
        outcomeVersion[o] = e.version ?? Number.NaN;
        outcomeHasEventId[o] = e.eventId === undefined ? 0 : 1;
        break;
      }
      case 'surface': {
        const x = cursor.surface++;
        at.surface[x] = i;
        surfaceMut[x] = mutations.intern(e.tenant, e.cmid);
        break;
      }
      case 'event': {
        const x = cursor.event++;
        at.event[x] = i;
        eventMut[x] = e.cmid === null ? -1 : mutations.intern(e.tenant, e.cmid);
        eventRedelivery[x] = e.redelivery === true ? 1 : 0;
        eventResolve[x] = e.cmid !== null && e.cmid.startsWith(RESOLVE_PREFIX) ? 1 : 0;
        eventSubjectOk[x] = subjectNamesTenant(e.subject, e.tenant) ? 1 : 0;
        break;
      }
      case 'log': {
        const x = cursor.log++;
        at.log[x] = i;
        logMut[x] = mutations.intern(e.tenant, e.cmid);
        logResolve[x] = e.op === 'resolve' ? 1 : 0;
        logVersion[x] = e.version;
        break;
      }
      case 'final-queue': {
        const x = cursor['final-queue']++;
        at['final-queue'][x] = i;
        queueStart[x] = qm;
        for (const cmid of e.pending) queueMut[qm++] = mutations.intern(e.tenant, cmid);
        break;
      }
      case 'phase':
        at.phase[cursor.phase++] = i;
        if (e.phase === 'final') final = true;
        break;
      default: {
        const list = at[e.k] as number[] | undefined;
        if (list !== undefined) list[cursor[e.k]++] = i;
      }
    }
  }
  pushStart[nPush] = pm;
  queueStart[count['final-queue'] as number] = qm;
  const positions = {} as Record<HistoryEntry['k'], number[]>;
  for (const name of KIND_NAMES) positions[name] = at[name];

  const n = mutations.size;
  const capMut = captureMut;
  const captureOf = filled(n, -1);
  for (let i = 0; i < capMut.length; i++) captureOf[capMut[i] as number] = i;

  const logAt = positions.log;
  const logOfEntry = (i: number): LogEntry => entries[logAt[i] as number] as LogEntry;
  const lMut = logMut;
  const lResolve = logResolve;
  const logOf = filled(n, -1);
  const logAnyOf = filled(n, -1);
  const extraLogs: [LogEntry, LogEntry][] = [];
  let loggedMutations = 0;
  for (let i = 0; i < lMut.length; i++) {
    const m = lMut[i] as number;
    if (logAnyOf[m] === -1) logAnyOf[m] = i;
    if (lResolve[i] === 1) continue;
    const first = logOf[m] as number;
    if (first === -1) {
      logOf[m] = i;
      loggedMutations++;
    } else extraLogs.push([logOfEntry(first), logOfEntry(i)]);
  }
  const { shared, distinct } = duplicateIds(lMut.length, (i) => logOfEntry(i).eventId, logOfEntry);

  let byEvent: Map<string, number> | undefined;
  const logByEvent = (): ReadonlyMap<string, number> => {
    if (byEvent === undefined) {
      byEvent = new Map();
      for (let i = 0; i < lMut.length; i++) {
        const id = logOfEntry(i).eventId;
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
        for (let i = 0; i < pos.length; i++) list[i] = entries[pos[i] as number] as HistoryEntry;
        Object.defineProperty(kinds, name, { value: list, enumerable: true });
        return list;
      },
    });
  }
  const pick = <T extends HistoryEntry>(pos: readonly number[]) => (i: number): T => entries[pos[i] as number] as T;

  return {
    final,
    entries,
    at: positions,
    kinds,
    capture: pick<CaptureEntry>(positions.capture),
    push: pick<PushEntry>(positions.push),
    outcome: pick<OutcomeEntry>(positions.outcome),
    event: pick<EventEntry>(positions.event),
    log: logOfEntry,
    mutations,
    devices,
    captureMut: capMut,
    captureDev: captureDev,
    captureSeq: captureSeq,
    captureDevAgg: captureDevAgg,
    devAggCount: devAggs.size,
    pushStart: pushStart,
    pushMut: pushMut,
    pushDev: pushDev,
    outcomeMut: outcomeMut,
    outcomeStatus: outcomeStatus,
    outcomeDecided: outcomeDecided,
    outcomeVersion: outcomeVersion,
    outcomeHasEventId: outcomeHasEventId,
    surfaceMut: surfaceMut,
    eventMut: eventMut,
    eventRedelivery: eventRedelivery,
    eventResolve: eventResolve,
    eventSubjectOk: eventSubjectOk,
    logMut: lMut,
    logResolve: lResolve,
    logVersion: logVersion,
    queueStart: queueStart,
    queueMut: queueMut,
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

/**
 * Event ids carried by more than one logged change, without a map of all ids: sort the changes by
 * a 32-bit hash of their id (radix sort over typed arrays) and compare only neighbours with equal
 * hashes. Returns each later carrier paired with the first, in log order, and the distinct count.
 */
function duplicateIds(n: number, idOf: (i: number) => string, logOf: (i: number) => LogEntry): { shared: [LogEntry, LogEntry][]; distinct: number } {
  if (n === 0) return { shared: [], distinct: 0 };
  let keys = new Uint32Array(n);
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = stringHash(idOf(i)) >>> 0;
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
        if (idOf(ib) === idOf(ia)) {
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
  return { shared: pairs.map(([b, a]) => [logOf(b), logOf(a)]), distinct };
}
