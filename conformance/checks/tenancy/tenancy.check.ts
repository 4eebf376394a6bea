/**
 * The tenancy family as vitest tests (bodies and titles in conformance/src/checks/tenancy.ts; ids,
 * requirements and "catches" lines in conformance/src/registry.ts).
 */
import { defineChecks } from '../../src/harness/define-check.js';
import { tenancyChecks } from '../../src/checks/tenancy.js';

defineChecks(tenancyChecks);
