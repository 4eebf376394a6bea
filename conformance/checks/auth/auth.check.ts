/**
 * The auth family as vitest tests (bodies and titles in conformance/src/checks/auth.ts; ids,
 * requirements and "catches" lines in conformance/src/registry.ts).
 */
import { defineChecks } from '../../src/harness/define-check.js';
import { authChecks } from '../../src/checks/auth.js';

defineChecks(authChecks);
