/**
 * The events family as vitest tests (bodies and titles in conformance/src/checks/events.ts; ids,
 * requirements and "catches" lines in conformance/src/registry.ts).
 */
import { defineChecks } from '../../src/harness/define-check.js';
import { eventChecks } from '../../src/checks/events.js';

defineChecks(eventChecks);
