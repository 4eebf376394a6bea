/**
 * The final read-back of a real-target run, written into the history in the simulator's format:
 * each tenant's change log from a full pull (TR §7) as `log` and `final-agg` entries, its conflicts
 * (open and resolved, TR §6.6) as `final-conflict`, and — when an event reader is given — the
 * CloudEvents and audit events the target published, as `event` and `audit`.
 *
 * A pull change carries its event id, not the mutation that made it. It is tied back to its
 * mutation by the outcomes the devices received (an applied outcome names the event id) and by the
 * protocol's deterministic id (TR §8.3: event id = uuid8(tenantId, clientMutationId)), so a
 * mutation whose answer was lost is still recognised. A change the run cannot attribute is logged
 * as `unattributed:<eventId>`; a conflict resolution as `resolve:<conflictId>`.
 */
import type { Dispatcher } from 'undici';
import type { History } from '../src/history/history.js';
import type { HistoryEntry } from '../src/history/history-entry.js';
import { auditIdOf, eventIdOf } from './event-ids.js';
import { type Endpoint, jsonRequest } from './json-http.js';

/** A message as an event reader returns it. */
export interface ObservedMessage {
  /** Subject relative to the reader's prefix: `<tenantId>.<module>.<type>.<event>` or `<tenantId>.<module>.<action>` (audit). */
  readonly subject: string;
  /** Parsed JSON body. */
  readonly body: unknown;
}

/** Reads what the target published for a tenant. */
export interface EventReader {
  /**
   * The tenant's sync events and (when the reader can see them) audit events published at or after
   * `since`. Waiting for the target's relay to settle is the reader's job.
   */
  read(tenantId: string, since: Date): Promise<{ readonly events: readonly ObservedMessage[]; readonly audit?: readonly ObservedMessage[] }>;
}

/** What the read-back needs. */
export interface ReadBackOptions {
  readonly tenants: readonly string[];
  readonly module: string;
  /** A token of a member of `tenant` (pull and conflict list are allowed to any member). */
  token(tenant: string): Promise<string>;
  readonly dispatcher: Dispatcher;
  readonly endpoint: Endpoint;
  readonly history: History;
  /** Whether an aggregate belongs to this run (shared tenants). */
  inScope(aggKey: string): boolean;
  /** The tenants hold other runs' data too: only this run's aggregates and conflicts are read back. */
  readonly sharedTenants: boolean;
  readonly events?: EventReader;
  /** When the run started (for the event reader). */
  readonly since: Date;
}

/** What the read-back found. */
export interface ReadBackSummary {
  readonly changes: number;
  readonly unattributed: number;
  readonly events: number | null;
  readonly audit: number | null;
}

const PULL_LIMIT = 500;
const MAX_PAGES = 10_000;

interface PulledChange {
  readonly aggregate: { readonly type: string; readonly id: string };
  readonly version: number;
  readonly op: string;
  readonly eventId: string;
}

interface ConflictRow {
  readonly conflictId: string;
  readonly clientMutationId: string;
  readonly aggregate: { readonly type: string; readonly id: string };
  readonly status: string;
  readonly phi: boolean;
}

async function fetchOk(o: ReadBackOptions, tenant: string, path: string): Promise<unknown> {
  const a = await jsonRequest(o.dispatcher, o.endpoint, { method: 'GET', path, token: await o.token(tenant) });
  if (a.status !== 200) throw new Error(`read-back GET ${path} as ${tenant} answered ${a.status}: ${a.rawBody.slice(0, 200)}`);
  return a.body;
}

async function pullAll(o: ReadBackOptions, tenant: string): Promise<PulledChange[]> {
  const out: PulledChange[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = `limit=${PULL_LIMIT}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const body = (await fetchOk(o, tenant, `/v1/sync/${o.module}/pull?${q}`)) as { changes?: unknown; nextCursor?: unknown; hasMore?: unknown };
    if (!Array.isArray(body?.changes) || typeof body.nextCursor !== 'string') throw new Error(`read-back pull of ${tenant}: malformed page`);
    for (const c of body.changes as PulledChange[]) out.push(c);
    cursor = body.nextCursor;
    if (body.hasMore !== true) return out;
  }
  throw new Error(`read-back pull of ${tenant}: more than ${MAX_PAGES} pages`);
}

async function conflicts(o: ReadBackOptions, tenant: string): Promise<ConflictRow[]> {
  const out: ConflictRow[] = [];
  for (const status of ['open', 'resolved']) {
    const body = (await fetchOk(o, tenant, `/v1/sync/${o.module}/conflicts?status=${status}`)) as { conflicts?: unknown };
    if (!Array.isArray(body?.conflicts)) throw new Error(`read-back conflicts of ${tenant}: malformed list`);
    out.push(...(body.conflicts as ConflictRow[]));
  }
  return out;
}

/** Who made each change: event id → clientMutationId, per tenant, from outcomes and captures. */
function attribution(entries: readonly HistoryEntry[]): Map<string, Map<string, string>> {
  const byTenant = new Map<string, Map<string, string>>();
  const of = (tenant: string): Map<string, string> => {
    let m = byTenant.get(tenant);
    if (m === undefined) byTenant.set(tenant, (m = new Map()));
    return m;
  };
  for (const e of entries) {
    if (e.k === 'capture') {
      const m = of(e.tenant);
      const id = eventIdOf(e.tenant, e.cmid);
      if (!m.has(id)) m.set(id, e.cmid);
    }
  }
  // Answers the devices received win over the derivation: they are what the server said.
  for (const e of entries) if (e.k === 'outcome' && e.status === 'applied' && e.eventId !== undefined) of(e.tenant).set(e.eventId, e.cmid);
  return byTenant;
}

/** Reads every tenant back into `o.history`. Throws when the target cannot be read. */
export async function readBack(o: ReadBackOptions): Promise<ReadBackSummary> {
  const { history } = o;
  const who = attribution(history.entries);
  let changes = 0;
  let unattributed = 0;
  let events: number | null = o.events ? 0 : null;
  let audits: number | null = null;
  for (const tenant of o.tenants) {
    const [log, rows] = await Promise.all([pullAll(o, tenant), conflicts(o, tenant)]);
    const conflictOfCmid = new Map<string, ConflictRow>();
    const inScope = (a: { type: string; id: string }): boolean => o.inScope(`${a.type}:${a.id}`);
    for (const c of rows) {
      conflictOfCmid.set(c.clientMutationId, c);
      if (!inScope(c.aggregate)) continue;
      history.add({
        k: 'final-conflict',
        tenant,
        conflictId: c.conflictId,
        cmid: c.clientMutationId,
        agg: `${c.aggregate.type}:${c.aggregate.id}`,
        status: c.status,
        phi: c.phi === true,
      });
    }
    const attributed = who.get(tenant) ?? new Map<string, string>();
    const last = new Map<string, number>();
    for (const c of log) {
      if (!inScope(c.aggregate)) continue;
      const agg = `${c.aggregate.type}:${c.aggregate.id}`;
      let cmid = attributed.get(c.eventId);
      if (c.op === 'resolve') {
        const conflict = cmid === undefined ? undefined : conflictOfCmid.get(cmid);
        cmid = conflict ? `resolve:${conflict.conflictId}` : `resolve:unknown-${c.eventId}`;
      } else if (cmid === undefined) {
        cmid = `unattributed:${c.eventId}`;
        unattributed++;
      }
      history.add({ k: 'log', tenant, agg, version: c.version, op: c.op, eventId: c.eventId, cmid });
      last.set(agg, c.version);
      changes++;
    }
    for (const [agg, version] of last) history.add({ k: 'final-agg', tenant, agg, version });
    if (!o.events) continue;
    const seen = await o.events.read(tenant, o.since);
    for (const m of seen.events) {
      const e = cloudEventEntry(m, o.inScope);
      if (e === undefined) continue;
      history.add(e);
      events = (events ?? 0) + 1;
    }
    if (seen.audit === undefined) continue;
    audits ??= 0;
    const auditConflict = new Map<string, string>();
    for (const c of rows) auditConflict.set(auditIdOf(tenant, c.conflictId), c.conflictId);
    let seq = 0;
    const ourConflicts = new Set(rows.filter((c) => inScope(c.aggregate)).map((c) => c.conflictId));
    for (const m of seen.audit) {
      const body = (m.body ?? {}) as { id?: unknown; entity?: { what?: { reference?: unknown } }[] };
      const reference = body.entity?.[0]?.what?.reference;
      const conflictId = auditConflict.get(typeof body.id === 'string' ? body.id : '') ?? null;
      // Shared tenants hold other runs' audit events: keep only those about this run's conflicts.
      if (o.sharedTenants && (conflictId === null || !ourConflicts.has(conflictId))) continue;
      history.add({ k: 'audit', tenant, seq: ++seq, action: m.subject.slice(m.subject.lastIndexOf('.') + 1), conflictId, entity: typeof reference === 'string' ? reference : null });
      audits++;
    }
  }
  return { changes, unattributed, events, audit: audits };
}

/** A CloudEvent (TR §8.2) as a history `event` entry; undefined when it is not one or not this run's. */
function cloudEventEntry(m: ObservedMessage, inScope: (aggKey: string) => boolean): HistoryEntry | undefined {
  const ce = (m.body ?? {}) as { id?: unknown; type?: unknown; data?: { tenantId?: unknown; clientMutationId?: unknown; aggregate?: { type?: unknown; id?: unknown }; version?: unknown } };
  const data = ce.data;
  const type = data?.aggregate?.type;
  const id = data?.aggregate?.id;
  if (typeof ce.id !== 'string' || typeof type !== 'string' || typeof id !== 'string') return undefined;
  const agg = `${type}:${id}`;
  if (!inScope(agg)) return undefined;
  return {
    k: 'event',
    t: 0,
    id: ce.id,
    // The checkers read the tenant from the second subject token: `sync.<tenantId>.…`.
    subject: `sync.${m.subject}`,
    tenant: typeof data?.tenantId === 'string' ? data.tenantId : '',
    cmid: typeof data?.clientMutationId === 'string' ? data.clientMutationId : null,
    agg,
    version: typeof data?.version === 'number' ? data.version : -1,
    type: typeof ce.type === 'string' ? ce.type : '',
  };
}
