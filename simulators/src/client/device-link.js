import { TOKEN_TTL_MS } from '../server/server-front.js';
function countApplied(r) {
    if (!r.ok)
        return 0;
    let n = 0;
    for (const o of r.value.outcomes)
        if (o.status === 'applied' && o.replayed !== true)
            n++;
    return n;
}
/**
 * The simulator's link: requests and answers travel the SimEnv network (latency, drops, duplicates,
 * partitions) to the simulated server front, which calls the in-process server.
 */
export function simulatedDeviceLink(env, front) {
    const { network } = env;
    return {
        refresh(endpoint, ctx, _req, onReply) {
            network.send('request', endpoint, () => {
                if (!front.isUp())
                    return;
                const token = front.issueToken(ctx);
                network.send('response', endpoint, () => onReply({ status: 200, value: { token, expiresInMs: TOKEN_TTL_MS } }));
            });
        },
        push(endpoint, _req, token, body, onReply) {
            network.send('request', endpoint, () => front.handle(token, (ctx) => front.server.push(ctx, body), countApplied, (reply) => network.send('response', endpoint, () => onReply(reply)), true));
        },
        pull(endpoint, tenant, _req, token, cursor, limit, onReply) {
            network.send('request', endpoint, () => front.handle(token, (ctx) => {
                const commits = front.commits.get(tenant) ?? 0;
                const r = front.server.pull(ctx, cursor, limit);
                return r instanceof Promise ? r.then((page) => ({ page, commits })) : { page: r, commits };
            }, () => 0, (reply) => network.send('response', endpoint, () => onReply(reply)), false));
        },
    };
}
