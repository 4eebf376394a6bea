import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run as report, type ReportIo } from '../../cli/report-command.js';
import { run as verify } from '../../cli/verify-command.js';
import { UsageError } from '../../../conformance/cli/usage-error.js';
import { writeReport } from '../../src/report/write-report.js';
import { resolveSigningKey } from '../../src/evidence/sign-manifest.js';
import { verifyBundle } from '../../src/evidence/verify-bundle.js';
import { FIXTURES, GENERATED_AT } from '../report/fixture-model.js';

const MATRIX = join(FIXTURES, 'matrix/basic-matrix.md');

const PROFILE = `name: clinic staging
baseUrl: https://user:hunter2@clinic.example.test
tenants:
  a:
    token: eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln
    clientSecret: s3cr3t
  b:
    token: \${TENANT_B_TOKEN}
`;

/** A source root with the fixture specs and a tiny contracts tree. */
function sourceRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'source-'));
  cpSync(join(FIXTURES, 'specs'), join(root, 'specs'), { recursive: true });
  mkdirSync(join(root, 'contracts/schemas'), { recursive: true });
  writeFileSync(join(root, 'contracts/schemas/a.schema.json'), '{"type":"object"}\n');
  cpSync(join(FIXTURES, 'matrix/basic-matrix.md'), join(root, 'specs/offline-first/TRACEABILITY_MATRIX.md'));
  return root;
}

function keyFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'keys-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(join(dir, 'signing.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'signing.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  return { priv: join(dir, 'signing.pem'), pub: join(dir, 'signing.pub.pem') };
}

/** Writes a bundle from the fixture run; returns its directory and the key files. */
function bundle() {
  const src = sourceRoot();
  const keys = keyFiles();
  const resultsDir = mkdtempSync(join(tmpdir(), 'results-'));
  cpSync(join(FIXTURES, 'results/run-basic'), resultsDir, { recursive: true });
  const profile = join(src, 'target.yaml');
  writeFileSync(profile, PROFILE);
  const out = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'reports');
  writeReport({
    resultsDir,
    outDir: out,
    sourceRoot: src,
    profilePath: profile,
    signingKey: resolveSigningKey(keys.priv, {}),
    generatedAt: GENERATED_AT,
  });
  return { out, keys, src };
}

async function verifyCli(args: string[]) {
  const lines: string[] = [];
  const code = await verify(args, { out: (l) => lines.push(l) });
  return { code, text: lines.join('\n') };
}

function flipMiddleByte(path: string): void {
  const bytes = readFileSync(path);
  const i = Math.floor(bytes.length / 2);
  bytes[i] = (bytes[i] as number) ^ 0x01;
  writeFileSync(path, bytes);
}

describe('report bundle', () => {
  test('holds every report file, the evidence files and the redacted profile', () => {
    const { out } = bundle();
    const files = verifyBundle(out).manifest?.files.map((f) => f.path);
    expect(files).toEqual([
      'ctrf.json',
      'histories/key-reuse.jsonl',
      'junit.xml',
      'results.json',
      'target-profile.redacted.yaml',
      'traceability.html',
      'traceability.md',
    ]);
  });

  test('the redacted profile keeps no secret and lists what it removed', () => {
    const { out } = bundle();
    const text = readFileSync(join(out, 'target-profile.redacted.yaml'), 'utf8');
    expect(text).not.toMatch(/hunter2|s3cr3t|eyJhbGci/);
    expect(text).toContain('${TENANT_B_TOKEN}');
    expect(verifyBundle(out).manifest?.targetProfile?.redacted).toEqual(['baseUrl', 'tenants.a.token', 'tenants.a.clientSecret']);
  });

  test('records spec and contract digests, run identity and timestamps', () => {
    const { out } = bundle();
    const m = verifyBundle(out).manifest;
    expect(m).toMatchObject({
      generatedAt: GENERATED_AT,
      gitCommit: '0123456789abcdef0123456789abcdef01234567',
      seed: '424242',
      target: { name: 'reference (embedded)', kind: 'embedded' },
      run: { startedAt: '2026-11-26T10:00:00.000Z', finishedAt: '2026-11-26T10:00:12.500Z' },
      tool: { name: 'syncproof', version: '0.1.0' },
    });
    expect(m?.specPack?.files.map((f) => f.path)).toEqual(['offline-first/SPEC.md', 'offline-first/TRACEABILITY_MATRIX.md']);
    expect(m?.contracts?.files.map((f) => f.path)).toEqual(['schemas/a.schema.json']);
    expect(m?.specPack?.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  test('same inputs, same key, same instant: byte-identical bundle', () => {
    const a = bundle();
    const resultsDir = join(FIXTURES, 'results/run-basic');
    const again = join(mkdtempSync(join(tmpdir(), 'again-')), 'reports');
    const profile = join(a.src, 'target.yaml');
    writeReport({ resultsDir, outDir: again, sourceRoot: a.src, profilePath: profile, signingKey: resolveSigningKey(a.keys.priv, {}), generatedAt: GENERATED_AT });
    for (const f of ['traceability.md', 'traceability.html', 'junit.xml', 'ctrf.json', 'results.json', 'evidence.dsse.json']) {
      expect(readFileSync(join(again, f)).equals(readFileSync(join(a.out, f))), f).toBe(true);
    }
  });
});

describe('syncproof verify', () => {
  test('a valid bundle verifies, with the given key and with the bundled one', async () => {
    const { out, keys } = bundle();
    const given = await verifyCli([out, '--public-key', keys.pub]);
    expect(given.text).toMatch(/^verify: ok, 7 files match the manifest signed by sha256:[0-9a-f]{64}$/m);
    expect(given.code).toBe(0);
    const bundled = await verifyCli([out]);
    expect(bundled.code).toBe(0);
    expect(bundled.text).toContain('checked with the public key stored in the bundle');
  });

  const kinds = [
    'traceability.md',
    'traceability.html',
    'results.json',
    'junit.xml',
    'ctrf.json',
    'histories/key-reuse.jsonl',
    'target-profile.redacted.yaml',
    'evidence.dsse.json',
    'evidence.pub.pem',
    'evidence.fingerprint.txt',
  ];
  test.each(kinds)('one flipped byte in %s is caught and named', async (file) => {
    const { out, keys } = bundle();
    flipMiddleByte(join(out, file));
    for (const args of [[out, '--public-key', keys.pub], [out]]) {
      const { code, text } = await verifyCli(args);
      expect(code, `${args.join(' ')}\n${text}`).toBe(1);
      expect(text).toContain(file);
    }
  });

  test('an added file is named', async () => {
    const { out, keys } = bundle();
    writeFileSync(join(out, 'extra-notes.txt'), 'added later\n');
    const { code, text } = await verifyCli([out, '--public-key', keys.pub]);
    expect(code).toBe(1);
    expect(text).toContain('added: extra-notes.txt (not in the manifest)');
  });

  test('a removed file is named', async () => {
    const { out, keys } = bundle();
    rmSync(join(out, 'junit.xml'));
    const { code, text } = await verifyCli([out, '--public-key', keys.pub]);
    expect(code).toBe(1);
    expect(text).toContain('missing: junit.xml');
  });

  test('a removed signature is named', async () => {
    const { out } = bundle();
    rmSync(join(out, 'evidence.dsse.json'));
    const { code, text } = await verifyCli([out]);
    expect(code).toBe(1);
    expect(text).toContain('missing: evidence.dsse.json');
  });

  test('the wrong public key fails the signature', async () => {
    const { out } = bundle();
    const other = keyFiles();
    const { code, text } = await verifyCli([out, '--public-key', other.pub]);
    expect(code).toBe(1);
    expect(text).toMatch(/^signature: evidence\.dsse\.json does not verify with the given public key \(sha256:[0-9a-f]{64}\)/m);
  });

  test('a re-signed bundle with a substituted key fails against the pinned key', async () => {
    const { out, keys, src } = bundle();
    // Turn the failed test into a pass and re-sign everything with another key.
    const resultsPath = join(out, 'results.json');
    writeFileSync(resultsPath, readFileSync(resultsPath, 'utf8').replace('"verdict": "fail"', '"verdict": "pass"'));
    const attacker = keyFiles();
    writeReport({
      resultsDir: out,
      sourceRoot: src,
      signingKey: resolveSigningKey(attacker.priv, {}),
      generatedAt: GENERATED_AT,
    });
    expect(readFileSync(join(out, 'traceability.md'), 'utf8')).not.toContain('❌ failed: OFS-IDEM-007');
    expect((await verifyCli([out])).code).toBe(0); // self-consistent, so the bundled key alone proves nothing...
    const pinned = await verifyCli([out, '--public-key', keys.pub]);
    expect(pinned.code).toBe(1); // ...which is why auditors pin the key
    expect(pinned.text).toContain('signature:');
  });

  test('--source re-hashes specs and contracts and names a changed spec', async () => {
    const { out, keys, src } = bundle();
    expect((await verifyCli([out, '--public-key', keys.pub, '--source', src])).code).toBe(0);
    writeFileSync(join(src, 'specs/offline-first/SPEC.md'), 'edited after the run\n');
    const { code, text } = await verifyCli([out, '--public-key', keys.pub, '--source', src]);
    expect(code).toBe(1);
    expect(text).toMatch(/^changed: specs\/offline-first\/SPEC\.md/m);
  });

  test('bad usage is a usage error', async () => {
    await expect(verify([])).rejects.toThrow(UsageError);
    await expect(verify(['/nonexistent/dir'])).rejects.toThrow(UsageError);
  });
});

describe('syncproof report (command)', () => {
  function io(env: NodeJS.ProcessEnv = {}): ReportIo & { lines: string[] } {
    const lines: string[] = [];
    return { lines, out: (l) => lines.push(l), now: () => new Date('2026-11-26T11:00:00Z'), env };
  }

  test('without a key it signs with a one-time key and prints the public key and fingerprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rep-'));
    cpSync(join(FIXTURES, 'results/run-basic'), dir, { recursive: true });
    const sink = io();
    expect(await report([dir, '--matrix', MATRIX], sink)).toBe(0);
    const text = sink.lines.join('\n');
    const fp = /one-time key, fingerprint (sha256:[0-9a-f]{64})/.exec(text)?.[1];
    expect(fp).toBeDefined();
    expect(text).toContain('-----BEGIN PUBLIC KEY-----');
    expect(readFileSync(join(dir, 'evidence.fingerprint.txt'), 'utf8')).toBe(`${fp}\n`);
    expect(verifyBundle(dir).ok).toBe(true);
    expect(text).toMatch(/report: \d+ requirements: /);
  });

  test('the key comes from --signing-key or SYNCPROOF_SIGNING_KEY; SOURCE_DATE_EPOCH fixes the instant', async () => {
    const keys = keyFiles();
    const a = mkdtempSync(join(tmpdir(), 'rep-'));
    cpSync(join(FIXTURES, 'results/run-basic'), a, { recursive: true });
    const sink = io({ SYNCPROOF_SIGNING_KEY: keys.priv, SOURCE_DATE_EPOCH: '1795000000' });
    expect(await report([a, '--matrix', MATRIX], sink)).toBe(0);
    expect(sink.lines.join('\n')).toContain(`signed with ${keys.priv}`);
    expect(verifyBundle(a, { publicKeyPem: readFileSync(keys.pub) }).ok).toBe(true);
    expect(verifyBundle(a).manifest?.generatedAt).toBe(new Date(1795000000 * 1000).toISOString());
  });

  test('bad input is a usage error with one line', async () => {
    await expect(report([], io())).rejects.toThrow(UsageError);
    await expect(report(['/nonexistent'], io())).rejects.toThrow(/does not exist/);
    const empty = mkdtempSync(join(tmpdir(), 'rep-'));
    await expect(report([empty], io())).rejects.toThrow(/results\.json: cannot read/);
    writeFileSync(join(empty, 'results.json'), '{"format":"nope"}');
    await expect(report([empty], io())).rejects.toThrow(/not a valid results document/);
    const notKey = join(empty, 'k.pem');
    writeFileSync(notKey, 'not a key');
    await expect(report([empty, '--signing-key', notKey], io())).rejects.toThrow(/cannot read a PEM private key/);
  });
});
