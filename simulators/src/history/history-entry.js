/**
 * The simulation history: one JSON object per line, Jepsen-style. Client operations are recorded
 * as invocations (`capture`, `push`) and completions (`outcome`, `unknown`, `request-error`);
 * faults are operations in the same history; the run ends with the final states read back from the
 * server and from every device. Keys are short but spelled out; key order is fixed by construction,
 * so the serialisation (and its hash) is byte-stable.
 */
export {};
