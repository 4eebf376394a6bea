import { describe, expect, test } from 'vitest';
import { UsageError } from '../../cli/usage-error.js';
import { parseRunOptions } from '../../src/run/run-options.js';

describe('syncproof run --defect (hidden, self-test only)', () => {
  test('plants catalogue defects in the embedded reference', () => {
    expect(parseRunOptions(['--defect', 'lost-update', '--defect', 'pull-cross-tenant'], () => 1).defects).toEqual(['lost-update', 'pull-cross-tenant']);
    expect(parseRunOptions([], () => 1).defects).toEqual([]);
  });

  test('refuses unknown names and a --target it cannot plant into', () => {
    expect(() => parseRunOptions(['--defect', 'nope'], () => 1)).toThrow(/unknown planted defect 'nope'/);
    expect(() => parseRunOptions(['--defect', 'lost-update', '--target', 'p.yaml'], () => 1)).toThrow(UsageError);
  });
});
