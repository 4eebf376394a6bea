import { describe, expect, test } from 'vitest';
import { REDACTED, redactProfile } from '../../src/evidence/redact-profile.js';

describe('redactProfile', () => {
  test('removes secrets by key name, JWTs, private keys and URL passwords; keeps the rest', () => {
    const { text, redacted } = redactProfile(`name: clinic
baseUrl: postgres://svc:pa55@db.internal:5432/app
auth:
  clientId: suite
  client_secret: abc
  password: hunter2
  apiKey: k-123
principals:
  - name: nurse
    headers:
      Authorization: Bearer xyz
  - name: raw
    jwt: eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln
signing:
  pem: |
    -----BEGIN PRIVATE KEY-----
    MC4CAQAwBQYDK2VwBCIEIA==
    -----END PRIVATE KEY-----
retentionDays: 30
tokenLifetimeSeconds: 300
tokenUrl: https://idp.example.test/token
`);
    expect(redacted).toEqual([
      'baseUrl',
      'auth.client_secret',
      'auth.password',
      'auth.apiKey',
      'principals[0].headers.Authorization',
      'principals[1].jwt',
      'signing.pem',
    ]);
    expect(text).not.toMatch(/pa55|abc|hunter2|k-123|xyz|eyJhbGci|MC4CAQAw/);
    expect(text).toContain(`baseUrl: postgres://svc:${REDACTED}@db.internal:5432/app`);
    expect(text).toContain('clientId: suite');
    expect(text).toContain('retentionDays: 30');
    expect(text).toContain('tokenLifetimeSeconds: 300');
    expect(text).toContain('tokenUrl: https://idp.example.test/token');
  });

  test('a number under a secret-looking key is still redacted; an env reference is kept', () => {
    const { text, redacted } = redactProfile('{"pin_token": 1234, "token": "${TENANT_A_TOKEN}", "tokenUrl": ""}');
    expect(redacted).toEqual(['pin_token']);
    expect(text).toContain('token: ${TENANT_A_TOKEN}');
  });

  test('text that is not YAML is refused', () => {
    expect(() => redactProfile('a: [1, 2\n')).toThrow();
  });
});
