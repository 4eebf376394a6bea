/**
 * Role rules of TR §1.5, decided at apply time with the uploading token's roles (TR §1.4).
 */
import { problem } from './problems.js';
import type { Problem, RequestContext } from './types.js';

/** Whether the context holds any of `roles`. */
export function hasAnyRole(ctx: RequestContext, roles: readonly string[]): boolean {
  for (const r of ctx.roles) if (roles.includes(r)) return true;
  return false;
}

/** Roles that may write clinical aggregates (patients, encounters, notes, non-controlled stock). */
export const WRITER_ROLES: readonly string[] = ['clinician', 'pharmacist', 'admin'];
/** Roles that may change controlled-substance stock. */
export const CONTROLLED_STOCK_ROLES: readonly string[] = ['pharmacist', 'admin'];

/** `permission-lost` unless the context holds one of `roles`. */
export function requireRole(ctx: RequestContext, roles: readonly string[], what: string): Problem | undefined {
  if (hasAnyRole(ctx, roles)) return undefined;
  return problem('permission-lost', `${what} needs one of the roles ${roles.join(', ')} at apply time`);
}
