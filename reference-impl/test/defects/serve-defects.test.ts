import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../conformance/cli/usage-error.js';
import { serveConfig } from '../../cli/serve-command.js';
import { DEFECT_NAMES } from '../../src/defects/catalogue.js';

describe('syncproof serve --defect', () => {
  test('accepts every catalogue name', () => {
    for (const name of DEFECT_NAMES) expect([...(serveConfig(['--defect', name], {}).defects ?? [])]).toEqual([name]);
  });

  test('an unknown name is a usage error naming the valid ones', () => {
    expect(() => serveConfig(['--defect', 'no-such-bug'], {})).toThrow(UsageError);
    expect(() => serveConfig(['--defect', 'no-such-bug'], {})).toThrow(/known: .*tampered-envelope-accepted/);
  });

  test('the self-test environment variable plants defects too (the crash probe uses it)', () => {
    const config = serveConfig(['--defect', 'lost-update'], { SYNCPROOF_SELFTEST_DEFECTS: 'idempotency-record-outside-tx, ' });
    expect([...(config.defects ?? [])]).toEqual(['idempotency-record-outside-tx', 'lost-update']);
    expect(() => serveConfig([], { SYNCPROOF_SELFTEST_DEFECTS: 'nope' })).toThrow(UsageError);
  });
});
