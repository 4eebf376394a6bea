/**
 * `authz-at-capture-time` — why this violates OFS-AUTH-005 / OFS-AUTH-006 / OFS-STORE-004 /
 * OFS-AUD-013: queued mutations are trusted as authorised when they were captured, so the server
 * applies them with the capture-time write roles instead of re-deciding with the uploading token;
 * an actor who lost a role (e.g. pharmacist for controlled stock) still gets the write applied, and
 * no permission-lost rejection or audit event exists.
 * Planted: core wrapper — sync `push` runs with the clinical write roles added to the token's roles
 * (REST writes, which are not queued, keep the real check).
 */
import type { RequestContext } from '../domain/types.js';
import { defineDefect, type AnyCore } from './defect.js';
import { wrapCore } from './wrap-ports.js';

/** The roles a device captures clinical writes with. */
const CAPTURE_ROLES = ['clinician', 'pharmacist'] as const;

export const authzAtCaptureTime = defineDefect({
  name: 'authz-at-capture-time',
  violates: ['OFS-AUTH-005', 'OFS-AUTH-006', 'OFS-STORE-004', 'OFS-AUD-013'],
  description: 'authorization checked at capture time only: queued mutations skip the apply-time role check',
  site: 'core',
  hooks: {
    core: (core: AnyCore) =>
      wrapCore(core, {
        push: (ctx: RequestContext, module: string, body: unknown) =>
          core.push({ ...ctx, roles: [...new Set([...ctx.roles, ...CAPTURE_ROLES])] }, module, body),
      }),
  },
});
