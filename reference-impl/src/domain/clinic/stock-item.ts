/**
 * `stock-item` (clinic TR §5): server-authoritative, not PHI. create {sku, name, quantity >= 0,
 * controlled}; adjust {delta ≠ 0, reason} applies to the current quantity whatever the baseVersion
 * (offline decrements are proposals); a result below zero is rejected `insufficient-stock` with
 * `available`. Controlled items need the pharmacist (or admin) role at apply time. The SKU is
 * unique per tenant; a taken SKU or an existing id is rejected `business-rule-violation` (409,
 * taken identifier) naming the field. Stock items never conflict.
 */
import type { AggregateRow, JsonObject } from '../../ports/records.js';
import type { AggregateDefinition, Decision, FieldError, ResolveDecision } from '../module.js';
import { problem } from '../problems.js';
import { CONTROLLED_STOCK_ROLES, requireRole, WRITER_ROLES } from '../roles.js';
import type { MutationOp, RequestContext } from '../types.js';
import { isInt, unknownKeys } from '../validate.js';
import { missing, reject } from './common.js';

const CREATE_KEYS: ReadonlySet<string> = new Set(['sku', 'name', 'quantity', 'controlled']);
const ADJUST_KEYS: ReadonlySet<string> = new Set(['delta', 'reason']);
const SKU = /^[A-Za-z0-9._-]{1,64}$/;
const REASONS: ReadonlySet<unknown> = new Set(['receive', 'dispense', 'waste', 'correction']);
/** Quantities stay far inside the safe-integer range so sums never lose precision. */
const MAX_QUANTITY = 1e12;
const SKU_INDEX = 'stock-item.sku';

function validateCreate(p: JsonObject): FieldError[] {
  const errors = unknownKeys(p, CREATE_KEYS);
  if (!(typeof p.sku === 'string' && SKU.test(p.sku))) errors.push({ pointer: '/sku', detail: 'must be 1..64 characters of A-Z, a-z, 0-9, ., _ and -' });
  if (!(typeof p.name === 'string' && p.name.length >= 1 && p.name.length <= 200)) errors.push({ pointer: '/name', detail: 'must be a string of 1..200 characters' });
  if (!isInt(p.quantity) || p.quantity < 0 || p.quantity > MAX_QUANTITY) {
    errors.push({ pointer: '/quantity', detail: `must be an integer between 0 and ${MAX_QUANTITY}` });
  }
  if (typeof p.controlled !== 'boolean') errors.push({ pointer: '/controlled', detail: 'must be a boolean' });
  return errors;
}

function validate(op: MutationOp, p: JsonObject): FieldError[] {
  if (op === 'create') return validateCreate(p);
  const errors = unknownKeys(p, ADJUST_KEYS);
  if (!isInt(p.delta) || p.delta === 0 || Math.abs(p.delta) > MAX_QUANTITY) errors.push({ pointer: '/delta', detail: 'must be a non-zero integer' });
  if (!REASONS.has(p.reason)) errors.push({ pointer: '/reason', detail: 'must be receive, dispense, waste or correction' });
  return errors;
}

function isControlled(payload: JsonObject, current: AggregateRow | undefined): boolean {
  return current ? current.state.controlled === true : payload.controlled === true;
}

function taken(what: string, pointer: string): Decision {
  return reject(problem('business-rule-violation', what, { status: 409, errors: [{ pointer, detail: 'taken' }] }));
}

/** The stock-item aggregate definition. */
export const stockItemAggregate: AggregateDefinition = {
  type: 'stock-item',
  collection: 'stock-items',
  policy: 'server-authoritative',
  phi: false,
  ops: ['create', 'adjust'],
  validate,
  validateState: validateCreate,
  authorize(ctx: RequestContext, _op, payload, current) {
    return isControlled(payload, current)
      ? requireRole(ctx, CONTROLLED_STOCK_ROLES, 'changing a controlled-substance stock item')
      : requireRole(ctx, WRITER_ROLES, 'changing a stock item');
  },
  lookups: (op, payload) => (op === 'create' && typeof payload.sku === 'string' ? [{ index: SKU_INDEX, value: payload.sku }] : []),
  decide({ mutation, current, tx, ctx }): Decision {
    const p = mutation.payload;
    if (mutation.op === 'create') {
      if (current) return taken(`stock item ${mutation.aggregate.id} already exists`, '/aggregate/id');
      if (tx.lookupIndex(ctx.tenantId, SKU_INDEX, p.sku as string).some((id) => id !== mutation.aggregate.id)) {
        return taken(`SKU '${p.sku as string}' is already used in this tenant`, '/payload/sku');
      }
      return {
        kind: 'apply',
        state: { sku: p.sku as string, name: p.name as string, quantity: p.quantity as number, controlled: p.controlled as boolean },
        index: { [SKU_INDEX]: p.sku as string },
      };
    }
    if (!current) return missing('stock-item', mutation.aggregate.id);
    const available = current.state.quantity as number;
    const next = available + (p.delta as number);
    if (next < 0) {
      return reject(problem('insufficient-stock', `adjusting by ${p.delta as number} would leave ${next}`, { available }));
    }
    if (next > MAX_QUANTITY) return reject(problem('business-rule-violation', 'quantity would exceed the maximum', { status: 422 }));
    // Same index object as before: the store sees no index change.
    return current.index
      ? { kind: 'apply', state: { ...current.state, quantity: next }, index: current.index }
      : { kind: 'apply', state: { ...current.state, quantity: next } };
  },
  resolve(): ResolveDecision {
    return reject(problem('business-rule-violation', 'stock items are server-authoritative and never conflict', { status: 422 }));
  },
  eventType: (op) => (op === 'create' ? 'created' : 'adjusted'),
  patientRef: () => undefined,
  indexOf: (state) => (typeof state.sku === 'string' ? { [SKU_INDEX]: state.sku } : undefined),
};
