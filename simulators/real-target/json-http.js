/** The endpoint of a base URL. */
export function endpointOf(baseUrl, headers = {}, timeoutMs = 5_000) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new TypeError(`base URL must be http or https, got '${url.protocol}'`);
    return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, ''), headers, timeoutMs };
}
/** Sends one JSON request with a bearer token. */
export async function jsonRequest(dispatcher, endpoint, req) {
    const headers = {
        ...lower(endpoint.headers),
        authorization: `Bearer ${req.token}`,
        accept: 'application/json, application/problem+json',
    };
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (body !== undefined)
        headers['content-type'] = 'application/json';
    const res = await dispatcher.request({
        origin: endpoint.origin,
        path: `${endpoint.prefix}${req.path}`,
        method: req.method,
        headers,
        headersTimeout: endpoint.timeoutMs,
        bodyTimeout: endpoint.timeoutMs,
        ...(body === undefined ? {} : { body }),
    });
    const rawBody = await res.body.text();
    let parsed;
    try {
        parsed = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
    }
    catch {
        parsed = undefined;
    }
    return { status: res.statusCode, body: parsed, rawBody };
}
function lower(h) {
    const out = {};
    for (const [k, v] of Object.entries(h))
        out[k.toLowerCase()] = v;
    return out;
}
/** A transport failure's code (`ECONNREFUSED`, `UND_ERR_…`, `SIM_E_…`) or its message. */
export function failureReason(err) {
    const code = err?.code;
    if (typeof code === 'string' && code.length > 0)
        return code;
    return err instanceof Error ? err.message : String(err);
}
