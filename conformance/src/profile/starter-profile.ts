/**
 * The commented starter profile `syncproof init` writes: every field of host contract v2 with what
 * to put there. It is valid as written except for the base URL, key and NATS details a team fills in.
 */

/** Text of the starter profile. */
export const STARTER_PROFILE = `# syncproof target profile — host contract v2 (see conformance/TARGET.md)
# Fill in the fields marked TODO, then: npx syncproof run --target <this file>
profileVersion: 2
name: my-module staging            # TODO: how reports name this server

# TODO: where the server is (a path prefix is kept, e.g. https://staging.example/api)
baseUrl: http://127.0.0.1:8080
# headers: { x-api-key: ... }      # sent with every request (e.g. an API gateway key)

module: clinic                      # TODO: the {module} path segment of /v1/sync/{module}/...

# How the suite gets tokens. Pick one kind:
#  jwt-signing-key  the suite signs tokens with a key your server trusts (recommended: the suite can
#                   then also mint expired, foreign-audience and reduced-role tokens)
#  token-endpoint   grant dev-token: POST {tenantId, sub, roles} -> {token};
#                   grant client-credentials: OAuth 2.0, each principal has clientId/clientSecretEnv
#  static-tokens    each principal has token or tokenEnv (checks needing other tokens are skipped)
auth:
  kind: jwt-signing-key
  alg: EdDSA                        # or ES256
  issuer: https://issuer.example/   # TODO: the iss your server expects
  audience: syncproof-clinic        # TODO: the aud your server expects
  privateKeyEnv: SYNCPROOF_SIGNING_KEY   # PKCS#8 PEM or JWK; or privateKeyFile: ./key.pem
  # kid: my-key-id

# Two tenants; \${runId} makes fresh tenants per run (needs a kind that can mint tokens).
# Principal names the checks use: clinician, clinician2, pharmacist, auditor, admin.
tenants:
  tenantA:
    id: conf-a-\${runId}
    principals:
      clinician: { sub: clin-a-1, roles: [clinician] }
      clinician2: { sub: clin-a-2, roles: [clinician] }
      pharmacist: { sub: pharm-a-1, roles: [pharmacist] }
      auditor: { sub: audit-a-1, roles: [auditor] }
      admin: { sub: admin-a-1, roles: [admin] }
  tenantB:
    id: conf-b-\${runId}
    principals:
      clinician: { sub: clin-b-1, roles: [clinician] }
      auditor: { sub: audit-b-1, roles: [auditor] }

# The module's aggregate types: conflict policy, PHI flag, REST collection and a valid example
# payload per op. Placeholders: \${uuid} fresh uuid, \${suffix} short id shared in one payload, \${now}.
aggregates:
  - type: encounter
    policy: reject-stale            # reject-stale | merge-append | manual | server-authoritative
    phi: true
    collection: encounters          # REST: /v1/<module>/encounters
    phiFields: [reason]             # payload fields holding PHI (the audit checks plant canaries there)
    examplePayloads:
      create: { patientId: '\${uuid}', status: planned, reason: 'routine check \${suffix}' }
      update: { status: in-progress }
  - type: note
    policy: merge-append            # state.entries keeps every append (text, authoredAt)
    phi: true
    collection: notes
    phiFields: [title, text]
    examplePayloads:
      create: { patientId: '\${uuid}', title: 'visit note \${suffix}' }
      append: { text: 'observation \${suffix}', authoredAt: '\${now}' }
  - type: patient
    policy: manual
    phi: true
    collection: patients
    phiFields: [mrn, givenName, familyName, birthDate]
    examplePayloads:
      create: { mrn: 'MRN-\${suffix}', givenName: 'Given\${suffix}', familyName: 'Family\${suffix}', birthDate: '1980-02-29' }
      update: { familyName: 'Renamed\${suffix}' }
  - type: stock-item
    policy: server-authoritative
    phi: false
    collection: stock-items
    examplePayloads:
      create: { sku: 'SKU-\${suffix}', name: 'gauze', quantity: 10, controlled: false }
      createControlled: { sku: 'CTRL-\${suffix}', name: 'morphine 10mg', quantity: 10, controlled: true }
      adjust: { delta: -1, reason: dispense }

idempotency:
  retentionDays: 30                 # how long your server keeps idempotency records
  maxOfflineWindowDays: 30          # the longest a client may stay offline (retention must be >= this)
  # testRetentionSeconds: 3         # only if THIS instance runs with a shortened retention for tests

# Event checks read JetStream as a trusted observer. Remove the section if you publish no events
# (the event checks are then skipped).
nats:
  url: nats://127.0.0.1:4222        # TODO
  stream: SYNC_EVENTS
  auditStream: AUDIT
  subjectPrefix: sync
  auditSubjectPrefix: audit
  settleMs: 1500                    # how long your outbox relay may take to publish
  # credentials: { user: observer, pass: ... }
  # clientCredentials: { user: mobile, pass: ... }   # what a client holds, if anything: must not publish

audit:
  source: http
  eventsPath: /v1/audit/events
  envelopes: true                   # false if you take no offline DSSE audit envelopes

# Test hooks (TARGET.md §5) — only for an instance started for conformance runs, never production.
# testHooks:
#   holdInFlight: true              # honours 'Syncproof-Test-Hold-Ms: <n>' on REST writes (409 in-flight check)

options:
  validateWithPrism: true           # route requests through a Prism proxy of the OpenAPI contract
  recordPhi: false                  # never keep PHI values in evidence
`;
