/**
 * Who is calling: tenant, actor and roles, taken from a verified token only (TR §1.2).
 */

/** The roles of TR §1.5. */
export const ROLES = ['clinician', 'pharmacist', 'auditor', 'admin'] as const;

/** One role. */
export type Role = (typeof ROLES)[number];

/** The verified caller. */
export interface Principal {
  readonly tenantId: string;
  /** The token's `sub`. */
  readonly actorId: string;
  readonly roles: readonly Role[];
}

/** True when `value` is a known role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when the principal holds at least one of `roles`. */
export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((r) => roles.includes(r));
}

/** Audit reads are for auditors and admins (TR §9.4). */
export function canReadAudit(principal: Principal): boolean {
  return hasAnyRole(principal, ['auditor', 'admin']);
}

/** Clinical writes (pushes, REST writes, device registration) need a writing role (TR §1.5). */
export function canWrite(principal: Principal): boolean {
  return hasAnyRole(principal, ['clinician', 'pharmacist', 'admin']);
}
