/**
 * The ordering family as vitest tests (bodies and titles in conformance/src/checks/ordering.ts; ids,
 * requirements and "catches" lines in conformance/src/registry.ts).
 */
import { defineChecks } from '../../src/harness/define-check.js';
import { orderingChecks } from '../../src/checks/ordering.js';

defineChecks(orderingChecks);
