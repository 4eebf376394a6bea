/**
 * The outbox relay (TR §8.1, §8.5): claims changes and audit entries the store committed but has
 * not published, publishes them to JetStream, then marks them published. Crash anywhere and the
 * rows stay unpublished and are sent again; the deterministic `Nats-Msg-Id` makes JetStream drop the
 * second copy, so consumers see each event once. While NATS is away the rows wait in the outbox and
 * the relay keeps retrying with backoff; nothing is lost.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEntryRow, ChangeRow } from '../ports/records.js';
import type { MaybePromise } from '../ports/store.js';
import { eventSubject, toCloudEvent } from '../domain/cloud-event.js';
import type { EventBus } from './jetstream-bus.js';

/** The store queries the relay uses (a subset of the Store port). */
export interface RelaySource {
  claimOutbox(limit: number): MaybePromise<readonly ChangeRow[]>;
  markPublished(seqs: readonly number[], publishedAt: string): MaybePromise<void>;
  claimAuditOutbox(limit: number): MaybePromise<readonly AuditEntryRow[]>;
  markAuditPublished(keys: readonly { tenantId: string; seq: number }[], publishedAt: string): MaybePromise<void>;
}

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  readonly source: RelaySource;
  /** Opens a bus; called again after a failure to connect. */
  readonly connect: () => Promise<EventBus>;
  /** Rows per claim (default 256). */
  readonly batchSize?: number;
  /** Idle poll interval when nobody kicks the relay (default 200 ms). */
  readonly pollMs?: number;
  /** Longest wait between retries while NATS is away (default 2 s). */
  readonly maxBackoffMs?: number;
  /** One-line log sink. */
  readonly log?: (line: string) => void;
}

/** Counters for health and tests. */
export interface RelayStats {
  published: number;
  duplicates: number;
  failures: number;
  connected: boolean;
}

/** Media type of a structured-mode CloudEvent (TR §8.2). */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';
/** Media type of a FHIR JSON resource (audit events, TR §9.5). */
export const FHIR_JSON = 'application/fhir+json';

/** Subject of an audit entry: `audit.<tenantId>.<module>.<action>` (TR §9.5). */
export function auditEntrySubject(row: Pick<AuditEntryRow, 'tenantId' | 'module' | 'action'>): string {
  return `audit.${row.tenantId}.${row.module}.${row.action}`;
}

/** `Nats-Msg-Id` of an audit entry: the AuditEvent id (deterministic from its cause), else tenant+seq. */
export function auditEntryMsgId(row: AuditEntryRow): string {
  const id = row.event['id'];
  return typeof id === 'string' ? id : `audit:${row.tenantId}:${row.seq}`;
}

/** The published body of an audit entry: the FHIR AuditEvent JSON (TR §9.5). */
export function auditEntryBody(row: AuditEntryRow): string {
  return JSON.stringify(row.event);
}

/** Runs the relay loop until {@link stop}. */
export class OutboxRelay {
  readonly stats: RelayStats = { published: 0, duplicates: 0, failures: 0, connected: false };
  private bus: EventBus | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private abort = new AbortController();
  private lastFailure = '';

  constructor(private readonly options: OutboxRelayOptions) {}

  /** Starts the loop in the background (does not wait for NATS). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the relay now (called after a commit that wrote outbox rows). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /**
   * Stops the loop. With `flushTimeoutMs`, first tries for that long to publish what is pending
   * (graceful shutdown); rows left over stay in the outbox for the next start.
   */
  async stop(flushTimeoutMs = 0): Promise<void> {
    if (flushTimeoutMs > 0 && this.bus?.connected) {
      const deadline = Date.now() + flushTimeoutMs;
      try {
        while (Date.now() < deadline && (await this.flushOnce())) {
          /* keep flushing */
        }
      } catch {
        // Shutting down: what could not be sent waits in the outbox.
      }
    }
    this.running = false;
    this.abort.abort();
    this.wake?.();
    await this.loop;
    await this.bus?.close().catch(() => undefined);
    this.bus = undefined;
    this.stats.connected = false;
  }

  /**
   * Publishes one claim of changes and one of audit entries. Returns true when it found work.
   * Throws when the bus fails; rows not acknowledged stay unpublished.
   */
  async flushOnce(): Promise<boolean> {
    const bus = this.bus;
    if (!bus) throw new Error('relay not connected');
    const limit = this.options.batchSize ?? 256;
    const changes = await this.options.source.claimOutbox(limit);
    if (changes.length > 0) {
      const acked = await this.publishAll(
        bus,
        CLOUDEVENTS_JSON,
        changes.map((row) => ({ subject: eventSubject(row), body: JSON.stringify(toCloudEvent(row)), msgId: row.eventId, key: row.seq })),
      );
      if (acked.length > 0) await this.options.source.markPublished(acked, new Date().toISOString());
      if (acked.length < changes.length) throw new Error(`${changes.length - acked.length} events not acknowledged`);
    }
    const audits = await this.options.source.claimAuditOutbox(limit);
    if (audits.length > 0) {
      const acked = await this.publishAll(
        bus,
        FHIR_JSON,
        audits.map((row) => ({ subject: auditEntrySubject(row), body: auditEntryBody(row), msgId: auditEntryMsgId(row), key: row })),
      );
      if (acked.length > 0) {
        await this.options.source.markAuditPublished(
          acked.map((r) => ({ tenantId: r.tenantId, seq: r.seq })),
          new Date().toISOString(),
        );
      }
      if (acked.length < audits.length) throw new Error(`${audits.length - acked.length} audit events not acknowledged`);
    }
    return changes.length > 0 || audits.length > 0;
  }

  // Publishes are pipelined on the one connection (the server stores them in send order); the
  // keys of the acknowledged ones come back so only those are marked.
  private async publishAll<K>(
    bus: EventBus,
    contentType: string,
    messages: { subject: string; body: string; msgId: string; key: K }[],
  ): Promise<K[]> {
    const results = await Promise.allSettled(messages.map((m) => bus.publish(m.subject, m.body, m.msgId, contentType)));
    const acked: K[] = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        acked.push(messages[i]!.key);
        this.stats.published += 1;
        if (r.value.duplicate) this.stats.duplicates += 1;
      } else {
        this.stats.failures += 1;
        this.note(`publish failed: ${(r.reason as Error).message}`);
      }
    });
    return acked;
  }

  private note(failure: string): void {
    // Log state changes, not every retry of the same failure.
    if (failure === this.lastFailure) return;
    this.lastFailure = failure;
    this.options.log?.(`relay: ${failure}; events wait in the outbox`);
  }

  private async idle(ms: number): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
    this.kicked = false;
  }

  private async run(): Promise<void> {
    const maxBackoff = this.options.maxBackoffMs ?? 2_000;
    let backoff = 50;
    while (this.running) {
      try {
        if (!this.bus) {
          this.bus = await this.options.connect();
        }
        this.stats.connected = this.bus.connected;
        const worked = await this.flushOnce();
        backoff = 50;
        if (this.lastFailure !== '') {
          this.lastFailure = '';
          this.options.log?.('relay: publishing again');
        }
        if (!worked) await this.idle(this.options.pollMs ?? 200);
      } catch (err) {
        this.stats.connected = this.bus?.connected ?? false;
        this.note((err as Error).message);
        await sleep(backoff, undefined, { signal: this.abort.signal }).catch(() => undefined);
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    }
  }
}
