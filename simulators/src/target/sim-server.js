/**
 * The server as the deterministic simulator drives it: the sync entry points called in-process
 * with a request context (no HTTP, no JSON), the outbox the relay drains, the maintenance purge,
 * and read-backs for the final state. The reference core implements it through an adapter; tests
 * use a small fake. Results may be promises (an async store); the simulator awaits them one at a
 * time, which keeps runs deterministic.
 */
/**
 * Resolves `v` and continues with `f`, staying synchronous when `v` is not a promise. (Not named
 * `then`: a module exporting `then` has a thenable namespace, which breaks dynamic imports.)
 */
export function andThen(v, f) {
    return v instanceof Promise ? v.then(f) : f(v);
}
/** Problem name from its type URI (`https://syncproof.dev/problems/<name>`). */
export function problemName(p) {
    if (p === undefined)
        return 'unknown';
    const i = p.type.lastIndexOf('/');
    return i === -1 ? p.type : p.type.slice(i + 1);
}
