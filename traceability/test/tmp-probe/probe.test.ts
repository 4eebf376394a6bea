import { describe, expect } from 'vitest';
import { requirementTest } from '../../../conformance/src/dsl/requirement-test.js';
describe('grp', () => {
  requirementTest({ id: 'probe.one', verifies: ['OFS-IDEM-002'] }, 'probe one', () => { expect(1).toBe(1); });
});
