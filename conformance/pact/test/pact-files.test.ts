import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { writeHttpConsumerPact } from '../src/http-consumer-pact.js';
import { writeMessageConsumerPact } from '../src/message-consumer-pact.js';
import { HTTP_PAIR, MESSAGE_PAIR, pactFile } from '../src/pact-files.js';

// Written to temporary directories: contracts/pacts/ belongs to pact.test.ts, which runs in parallel.
test('consumer pacts are byte-identical across runs, so the committed files change only with the contract', async () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'pact-a-')), mkdtempSync(join(tmpdir(), 'pact-b-'))];
  try {
    for (const d of dirs) {
      await writeHttpConsumerPact(d);
      await writeMessageConsumerPact(d);
    }
    for (const pair of [HTTP_PAIR, MESSAGE_PAIR]) {
      const [a, b] = dirs.map((d) => readFileSync(pactFile(pair, d), 'utf8'));
      expect(a, pactFile(pair, '')).toBe(b);
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
