/**
 * Tenant id syntax (TR §1.3). Tenant ids become NATS subject tokens, so the characters that have a
 * meaning there (`.`, `*`, `>`) and whitespace are refused.
 */
/** The accepted tenant id syntax. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** True when `value` is a string that may serve as a tenant id. */
export function isValidTenantId(value) {
    return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}
