/**
 * The audit family as vitest tests (bodies and titles in conformance/src/checks/audit.ts; ids,
 * requirements and "catches" lines in conformance/src/registry.ts).
 */
import { defineChecks } from '../../src/harness/define-check.js';
import { auditChecks } from '../../src/checks/audit.js';

defineChecks(auditChecks);
