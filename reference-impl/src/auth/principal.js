/**
 * Who is calling: tenant, actor and roles, taken from a verified token only (TR §1.2).
 */
/** The roles of TR §1.5. */
export const ROLES = ['clinician', 'pharmacist', 'auditor', 'admin'];
/** True when `value` is a known role. */
export function isRole(value) {
    return typeof value === 'string' && ROLES.includes(value);
}
/** True when the principal holds at least one of `roles`. */
export function hasAnyRole(principal, roles) {
    return principal.roles.some((r) => roles.includes(r));
}
/** Audit reads are for auditors and admins (TR §9.4). */
export function canReadAudit(principal) {
    return hasAnyRole(principal, ['auditor', 'admin']);
}
/** Clinical writes (pushes, REST writes, device registration) need a writing role (TR §1.5). */
export function canWrite(principal) {
    return hasAnyRole(principal, ['clinician', 'pharmacist', 'admin']);
}
