/**
 * Plants a selection of catalogue defects into the reference server's parts. The composition
 * roots (buildApp, createInProcessCore, the server process, the embedded conformance reference)
 * call the matching method for each part they build; with no defects every method returns its
 * argument unchanged, so production wiring pays nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { AuditRecorder } from '../domain/api.js';
import type { DefectName as DomainDefectName, DefectSet } from '../domain/defects.js';
import type { EventBus } from '../events/jetstream-bus.js';
import type { Store } from '../ports/store.js';
import { defectNames, findDefect } from './catalogue.js';
import type { AnyCore, Defect, VerifyEnvelopeBatch } from './defect.js';

/** Marks a store that already carries the planted store wrappers (wrapping twice would double them). */
const PLANTED = Symbol('syncproof.planted-defects');

/** The planted selection. */
export interface PlantedDefects {
  /** Names, in catalogue order (empty = a correct server). */
  readonly names: readonly string[];
  /** The switches the domain core consults. */
  readonly domain: DefectSet;
  /** The store with the store-level defects (idempotent: an already planted store is returned as is). */
  store<S extends Store>(store: S): S;
  core<C extends AnyCore>(core: C, store: Store): C;
  audit(recorder: AuditRecorder): AuditRecorder;
  bus(bus: EventBus): EventBus;
  envelopes(verify: VerifyEnvelopeBatch): VerifyEnvelopeBatch;
  /** Adds the HTTP-level defects to an app under construction. */
  http(app: FastifyInstance, store: Store): void;
}

/** Plants `names` (validated; throws UnknownDefectError for a name not in the catalogue). */
export function plantDefects(names: Iterable<string> | string | undefined): PlantedDefects {
  const selected: readonly Defect[] = [...defectNames(names)].map(findDefect);
  const domain = new Set(selected.flatMap((d) => (d.hooks.domain ? [d.hooks.domain] : []))) as ReadonlySet<DomainDefectName>;
  const fold = <T>(value: T, pick: (d: Defect) => ((v: T) => T) | undefined): T => selected.reduce((v, d) => pick(d)?.(v) ?? v, value);
  return {
    names: selected.map((d) => d.name),
    domain,
    store<S extends Store>(store: S): S {
      if (selected.length === 0 || (store as unknown as Record<symbol, unknown>)[PLANTED] === true) return store;
      const wrapped = fold<Store>(store, (d) => d.hooks.store);
      if (wrapped === store) return store;
      return new Proxy(wrapped, { get: (t, p) => (p === PLANTED ? true : Reflect.get(t, p, t)) }) as S;
    },
    core<C extends AnyCore>(core: C, store: Store): C {
      return fold<AnyCore>(core, (d) => (d.hooks.core ? (c) => d.hooks.core!(c, store) : undefined)) as C;
    },
    audit: (recorder) => fold(recorder, (d) => d.hooks.audit),
    bus: (bus) => fold(bus, (d) => d.hooks.bus),
    envelopes: (verify) => fold(verify, (d) => d.hooks.envelopes),
    http(app, store) {
      for (const d of selected) d.hooks.http?.(app, store);
    },
  };
}
