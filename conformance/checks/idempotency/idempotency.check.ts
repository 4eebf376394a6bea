/**
 * The idempotency family as vitest tests (bodies and titles in conformance/src/checks/idempotency.ts; ids,
 * requirements and "catches" lines in conformance/src/registry.ts).
 */
import { defineChecks } from '../../src/harness/define-check.js';
import { idempotencyChecks } from '../../src/checks/idempotency.js';

defineChecks(idempotencyChecks);
