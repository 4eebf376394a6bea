/**
 * The conflicts family as vitest tests (bodies and titles in conformance/src/checks/conflicts.ts; ids,
 * requirements and "catches" lines in conformance/src/registry.ts).
 */
import { defineChecks } from '../../src/harness/define-check.js';
import { conflictChecks } from '../../src/checks/conflicts.js';

defineChecks(conflictChecks);
