/**
 * The robustness family as vitest tests (bodies and titles in conformance/src/checks/robustness.ts; ids,
 * requirements and "catches" lines in conformance/src/registry.ts).
 */
import { defineChecks } from '../../src/harness/define-check.js';
import { robustnessChecks } from '../../src/checks/robustness.js';

defineChecks(robustnessChecks);
