/**
 * The fault menu: every fault class has a stable name, can be switched on or off on the command
 * line (`--faults all|none|<comma list>`), and gets an intensity drawn from the seed (swarm
 * testing: some runs hammer one class, others barely touch it).
 */
/** Names of the fault classes. */
export const FAULT_NAMES = [
    'drop-request',
    'drop-response',
    'duplicate',
    'delay',
    'partition-client',
    'partition-nats',
    'client-crash-before-commit',
    'client-crash-after-commit',
    'server-crash',
    'clock-skew',
    'retention-expiry',
    'dedup-window-expiry',
];
/** What each fault class does, for `--help` and reports. */
export const FAULT_DESCRIPTIONS = {
    'drop-request': 'a push/pull/resolve request is lost before the server sees it',
    'drop-response': 'the server decided and committed, the client never hears the answer',
    duplicate: 'a request, response or broker publish is delivered twice',
    delay: 'a message is held back and overtaken by later ones (reorder)',
    'partition-client': 'a device is cut off from the server for seconds to hours',
    'partition-nats': 'the server cannot reach the broker; events wait in the outbox',
    'client-crash-before-commit': 'the device crashes while capturing; nothing is queued',
    'client-crash-after-commit': 'the device crashes right after committing a capture; the queue survives',
    'server-crash': 'the server crashes after commit, before responding; state survives, the answer is lost',
    'clock-skew': "a device's clock runs minutes to hours off (captured times, token expiry)",
    'retention-expiry': 'the world sleeps past the idempotency retention window, then clients retry',
    'dedup-window-expiry': "the world sleeps past the broker's duplicate window, then everyone retries",
};
/** All classes off. */
export const NO_FAULTS = Object.freeze(Object.fromEntries(FAULT_NAMES.map((n) => [n, 0])));
/** Raised for an unknown fault name (the CLI turns it into a usage error). */
export class UnknownFaultError extends Error {
    name = 'UnknownFaultError';
}
/** Parses `all`, `none` or a comma list of fault names into the enabled set. */
export function parseFaultList(spec) {
    const s = spec.trim();
    if (s === 'all')
        return new Set(FAULT_NAMES);
    if (s === 'none' || s === '')
        return new Set();
    const out = new Set();
    for (const raw of s.split(',')) {
        const name = raw.trim();
        if (!FAULT_NAMES.includes(name)) {
            throw new UnknownFaultError(`unknown fault '${name}' (known: all, none, ${FAULT_NAMES.join(', ')})`);
        }
        out.add(name);
    }
    return out;
}
/**
 * Upper bound of each class's intensity. Network and crash classes are per-message/per-capture
 * probabilities; partitions are rates per device-hour; expiry classes are counts of time warps.
 */
export const FAULT_MAX = {
    'drop-request': 0.15,
    'drop-response': 0.15,
    duplicate: 0.1,
    delay: 0.2,
    'partition-client': 0.5,
    'partition-nats': 0.5,
    'client-crash-before-commit': 0.01,
    'client-crash-after-commit': 0.01,
    'server-crash': 0.02,
    'clock-skew': 0.5,
    'retention-expiry': 1,
    'dedup-window-expiry': 2,
};
