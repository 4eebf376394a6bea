/**
 * Audit endpoints: the tenant's hash-chained log for auditors (TR §9.4) and the offline audit
 * envelopes of devices (TR §10.2).
 */
import type { FastifyInstance } from 'fastify';
import { canReadAudit, canWrite, hasAnyRole } from '../../auth/principal.js';
import type { Ed25519PublicJwk } from '../../audit/device-envelopes.js';
import { EMPTY_HEAD } from '../../audit/hash-chain.js';
import type { DsseEnvelope } from '../../../../contracts/lib/dsse.js';
import { principalOf } from '../authenticate.js';
import { checkRequest } from '../contract-validation.js';
import { objectBody } from '../json-body-parser.js';
import { ProblemError } from '../problem.js';
import type { RouteContext } from './route-context.js';
import { single } from './route-context.js';

const DEVICE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const UINT = /^(0|[1-9][0-9]{0,15})$/;

function intParam(query: unknown, name: string, min: number, max: number, fallback: number): number {
  const raw = single((query as Record<string, unknown>)[name]);
  if (raw === undefined) return fallback;
  const value = Array.isArray(raw) || !UINT.test(raw) ? Number.NaN : Number(raw);
  if (!(value >= min && value <= max)) {
    throw ProblemError.of('validation-failed', `query parameter '${name}' must be an integer in ${min}..${max}`, {
      errors: [{ pointer: `?${name}`, detail: `must be an integer in ${min}..${max}` }],
    });
  }
  return value;
}

/** Registers the audit routes. */
export function registerAuditRoutes(app: FastifyInstance, rc: RouteContext): void {
  const auth = { config: { auth: true } };

  app.get('/v1/audit/events', auth, async (request, reply) => {
    const principal = principalOf(request);
    if (!canReadAudit(principal)) throw ProblemError.of('forbidden', 'reading the audit log needs the auditor or admin role');
    const afterSeq = intParam(request.query, 'afterSeq', 0, Number.MAX_SAFE_INTEGER, 0);
    const limit = intParam(request.query, 'limit', 1, 500, 100);
    const rows = await rc.store.listAudit(principal.tenantId, afterSeq, limit);
    const head = (await rc.store.findAuditHead(principal.tenantId)) ?? EMPTY_HEAD;
    const entries = rows.map((r) => ({ seq: r.seq, prevHash: r.prevHash, hash: r.hash, event: r.event }));
    return rc.responder.send(reply, 200, 'audit-events-page', { entries, head: { seq: head.seq, hash: head.hash } });
  });

  app.put<{ Params: { deviceId: string } }>('/v1/audit/devices/:deviceId', auth, async (request, reply) => {
    const principal = principalOf(request);
    if (!canWrite(principal)) throw ProblemError.of('forbidden', 'registering a device needs a clinician, pharmacist or admin role');
    const { deviceId } = request.params;
    if (!DEVICE_ID.test(deviceId)) {
      throw ProblemError.of('validation-failed', 'deviceId must match ^[A-Za-z0-9_-]{1,128}$', {
        errors: [{ pointer: '{deviceId}', detail: 'must match ^[A-Za-z0-9_-]{1,128}$' }],
      });
    }
    const body = objectBody(request.body);
    checkRequest('device-key-registration', body);
    const jwk = body['publicKeyJwk'] as Ed25519PublicJwk;
    const res = await rc.devices.register(principal.tenantId, deviceId, jwk, hasAnyRole(principal, ['admin']));
    return rc.responder.send(reply, res.status, 'device-key', res.body);
  });

  app.post('/v1/audit/envelopes', auth, async (request, reply) => {
    const principal = principalOf(request);
    if (!canWrite(principal)) throw ProblemError.of('forbidden', 'uploading audit envelopes needs a clinician, pharmacist or admin role');
    const body = objectBody(request.body);
    checkRequest('envelope-upload-request', body);
    const res = await rc.devices.upload(principal.tenantId, body['deviceId'] as string, body['envelopes'] as DsseEnvelope[]);
    return rc.responder.send(reply, 200, 'envelope-upload-response', res);
  });
}
