/**
 * An {@link EventReader} over anything that reads a JetStream stream by subject filter and start
 * time — the conformance suite's `EventObserver` fits (structurally; nothing is imported from it).
 * It waits `settleMs` for the target's outbox relay, then reads the tenant's sync events and, when
 * an audit stream is named, its audit events, and strips the subject prefixes.
 */
import type { EventReader, ObservedMessage } from './read-back.js';
import { safeSetTimeout } from './interceptors/_internals/handlers.js';

/** Reads one stream (e.g. `EventObserver.read`). */
export interface StreamSource {
  read(stream: string, subject: string, since: Date): Promise<readonly { readonly subject: string; readonly body: unknown }[]>;
}

/** Where a target publishes (the `nats` section of a target profile fits). */
export interface StreamLayout {
  readonly stream: string;
  /** Sync subjects are `<subjectPrefix>.<tenantId>.<module>.<type>.<event>`. */
  readonly subjectPrefix: string;
  readonly auditStream?: string;
  /** Audit subjects are `<auditSubjectPrefix>.<tenantId>.<module>.<action>`. */
  readonly auditSubjectPrefix?: string;
  /** Wait for the relay before reading, ms. @defaultValue 1000 */
  readonly settleMs?: number;
}

function relative(prefix: string, messages: readonly { readonly subject: string; readonly body: unknown }[]): ObservedMessage[] {
  const p = `${prefix}.`;
  return messages.map((m) => ({ subject: m.subject.startsWith(p) ? m.subject.slice(p.length) : m.subject, body: m.body }));
}

/** The reader of `layout` for module `module`. */
export function streamEventReader(source: StreamSource, layout: StreamLayout, module: string): EventReader {
  let settled: Promise<void> | undefined;
  return {
    async read(tenantId, since) {
      // One settle per run, not per tenant: the relay had the whole wait to catch up.
      settled ??= new Promise((resolve) => safeSetTimeout(resolve, layout.settleMs ?? 1_000));
      await settled;
      const events = relative(layout.subjectPrefix, await source.read(layout.stream, `${layout.subjectPrefix}.${tenantId}.${module}.>`, since));
      if (layout.auditStream === undefined || layout.auditSubjectPrefix === undefined) return { events };
      const audit = relative(layout.auditSubjectPrefix, await source.read(layout.auditStream, `${layout.auditSubjectPrefix}.${tenantId}.${module}.>`, since));
      return { events, audit };
    },
  };
}
