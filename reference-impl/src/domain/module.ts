/**
 * A sync module (e.g. `clinic`) as the core sees it: its aggregate types, each with a conflict
 * policy, a PHI flag, payload validation and the decision rule. The core is generic over modules;
 * adding a module means writing one {@link ModuleDefinition}, nothing in the core changes.
 */
import type { AggregateRow, JsonObject } from '../ports/records.js';
import type { StoreTx } from '../ports/store.js';
import type { DefectSet } from './defects.js';
import type { ConflictPolicyName, ConflictResolution, Mutation, MutationOp, Problem, RequestContext } from './types.js';

/** One field error of a payload. */
export interface FieldError {
  /** JSON pointer relative to the payload (e.g. `/quantity`). */
  readonly pointer: string;
  readonly detail: string;
}

/** What a rule decided for one mutation. */
export type Decision =
  | {
      readonly kind: 'apply';
      readonly state: JsonObject;
      /** Index entries of the new state (see AggregateRow.index). */
      readonly index?: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'reject'; readonly problem: Problem }
  | {
      readonly kind: 'conflict';
      /** Version and state the client must see (the matched aggregate's for duplicate matches). */
      readonly serverVersion: number;
      readonly serverState: JsonObject;
      /** The aggregate matched against (duplicate patient, taken MRN). */
      readonly matched?: { readonly type: string; readonly id: string };
    };

/** What a resolution decided: a new state, a refusal, or `keep` (keep-server: write nothing). */
export type ResolveDecision = Decision | { readonly kind: 'keep' };

/**
 * Input of {@link AggregateDefinition.decide}. A push reuses one input object for all its
 * mutations, so a rule must not keep it (or hand it out) beyond its call.
 */
export interface DecideInput {
  readonly ctx: RequestContext;
  readonly mutation: Mutation;
  /** Current row, or undefined when the aggregate does not exist. */
  readonly current: AggregateRow | undefined;
  /** Read access (index lookups) inside the transaction. */
  readonly tx: StoreTx;
  /** Planted defects (tests only). */
  readonly defects?: DefectSet;
  /** Decision time (ISO 8601), e.g. for "not in the future" rules. */
  readonly nowIso: string;
}

/** Input of {@link AggregateDefinition.resolve}. */
export interface ResolveInput {
  readonly ctx: RequestContext;
  readonly resolution: ConflictResolution;
  /** The `merged` state (validated by the definition). */
  readonly mergedState: JsonObject | undefined;
  /** The client's op and payload that conflicted. */
  readonly op: string;
  readonly proposed: JsonObject;
  readonly current: AggregateRow | undefined;
  /** The aggregate the conflict matched against, if any. */
  readonly matched: AggregateRow | undefined;
  readonly tx: StoreTx;
  readonly aggregateId: string;
  readonly nowIso: string;
}

/** One aggregate type of a module. */
export interface AggregateDefinition {
  readonly type: string;
  /** REST collection name under /v1/<module>/ (e.g. `stock-items`). */
  readonly collection: string;
  readonly policy: ConflictPolicyName;
  readonly phi: boolean;
  /** Ops this type accepts. */
  readonly ops: readonly MutationOp[];
  /** Payload validation for `op` (business shape); empty = valid. Must not throw on any JSON. */
  validate(op: MutationOp, payload: JsonObject): readonly FieldError[];
  /**
   * Authorization at apply time (TR §1.4): `undefined` when allowed, else the problem
   * (`permission-lost`). Receives the current row so e.g. a controlled stock item is recognised.
   */
  authorize(ctx: RequestContext, op: MutationOp, payload: JsonObject, current: AggregateRow | undefined): Problem | undefined;
  /** Index lookups the decision will make for this mutation (so an async store can prefetch). */
  lookups(op: MutationOp, payload: JsonObject): readonly { readonly index: string; readonly value: string }[];
  /** The rule: apply, reject or conflict. Pure; reads only through `input.tx`. */
  decide(input: DecideInput): Decision;
  /** Resolution of a conflict of this type: new state, keep, or a problem (e.g. MRN still taken). */
  resolve(input: ResolveInput): ResolveDecision;
  /** Validation of a `merged` resolution state. */
  validateState(state: JsonObject): readonly FieldError[];
  /** CloudEvent type suffix for an op (`created`, `updated`, `appended`, `adjusted`). */
  eventType(op: MutationOp): string;
  /** `Patient/<id>` reference for audit events, when the aggregate concerns a patient. */
  patientRef(id: string, state: JsonObject | undefined, proposed: JsonObject | undefined): string | undefined;
  /** Index entries of a state (used when a resolution writes a state). */
  indexOf(state: JsonObject): Readonly<Record<string, string>> | undefined;
}

/** A module: a name and its aggregate types. */
export interface ModuleDefinition {
  /** Module name, a path and subject token (`clinic`). */
  readonly name: string;
  readonly aggregates: ReadonlyMap<string, AggregateDefinition>;
}

/** The modules a server serves, by name. */
export type ModuleRegistry = ReadonlyMap<string, ModuleDefinition>;

/** Builds a registry from module definitions. */
export function moduleRegistry(...modules: ModuleDefinition[]): ModuleRegistry {
  return new Map(modules.map((m) => [m.name, m]));
}
