/**
 * What a planted defect is: a named, test-only bug in the reference server that declares the
 * requirements it violates, and the seams it is planted through. Most defects are wrappers around
 * a port (the Store, the core's entry points, the audit recorder, the event bus, the envelope
 * verifier) or a Fastify hook, so the domain core stays free of them; the four oldest are switches
 * the core consults through its `DefectSet` (src/domain/defects.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { AuditRecorder } from '../domain/api.js';
import type { Core } from '../domain/core.js';
import type { DefectName as DomainDefectName } from '../domain/defects.js';
import type { EventBus } from '../events/jetstream-bus.js';
import type { verifyEnvelopeBatch } from '../audit/envelope-chain.js';
import type { Store } from '../ports/store.js';

/** The envelope batch verifier (src/audit/envelope-chain.ts), as the defects can replace it. */
export type VerifyEnvelopeBatch = typeof verifyEnvelopeBatch;

/** Any bound core (sync or async store). */
export type AnyCore = Core<'sync'> | Core<'async'>;

/** Where a defect is planted (for the catalogue table and the docs). */
export type PlantSite = 'domain' | 'store' | 'core' | 'audit' | 'bus' | 'envelopes' | 'http';

/** The seams a defect may use; each is optional and applied in the order listed here. */
export interface DefectHooks {
  /** A switch the domain core consults (its `DefectSet`). */
  readonly domain?: DomainDefectName;
  /** Wraps the Store port (transactions, the accessor inside them, queries, the outbox). */
  readonly store?: (store: Store) => Store;
  /** Wraps the core's entry points (push, restWrite, …); `store` is the (wrapped) store it runs on. */
  readonly core?: (core: AnyCore, store: Store) => AnyCore;
  /** Wraps the audit recorder the core hands due audit events to. */
  readonly audit?: (recorder: AuditRecorder) => AuditRecorder;
  /** Wraps the event bus the outbox relay publishes through. */
  readonly bus?: (bus: EventBus) => EventBus;
  /** Replaces the offline envelope batch verifier. */
  readonly envelopes?: (verify: VerifyEnvelopeBatch) => VerifyEnvelopeBatch;
  /** Adds Fastify hooks to the app (before routes are ready). */
  readonly http?: (app: FastifyInstance, store: Store) => void;
}

/** One catalogue entry. */
export interface Defect {
  /** Stable kebab-case name (`syncproof serve --defect <name>`); never reused. */
  readonly name: string;
  /** Requirement IDs (specs/offline-first/TRACEABILITY_MATRIX.md) the bug violates. */
  readonly violates: readonly string[];
  /** One line: the bug, as a developer would describe it in a post-mortem. */
  readonly description: string;
  /** The seam(s) it is planted through. */
  readonly site: PlantSite;
  readonly hooks: DefectHooks;
}

/** Declares a defect (keeps the literal readable in each file). */
export function defineDefect(d: Defect): Defect {
  return d;
}
