/**
 * A {@link Target} seen as an undici `Dispatcher`, so the fault interceptors compose over any
 * target the same way: `new TargetDispatcher(target).compose(...faultInterceptors(...))`. An HTTP
 * target gets its requests through its own pool; the reference server's in-process target
 * (`app.inject`, no socket) gets them without a network — and the faults still happen above it.
 * The request's origin is ignored: the target knows where it lives.
 */
import { Dispatcher } from 'undici';
/** Request headers in any of undici's shapes, as a plain lower-cased record. */
export function headerRecord(headers) {
    const out = {};
    if (headers === undefined || headers === null)
        return out;
    const put = (k, v) => {
        if (v === undefined || v === null)
            return;
        out[String(k).toLowerCase()] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
    };
    if (Array.isArray(headers)) {
        for (let i = 0; i + 1 < headers.length; i += 2)
            put(headers[i], headers[i + 1]);
    }
    else if (typeof headers[Symbol.iterator] === 'function' && !(typeof headers === 'object' && headers.constructor === Object)) {
        for (const [k, v] of headers)
            put(k, v);
    }
    else {
        for (const [k, v] of Object.entries(headers))
            put(k, v);
    }
    return out;
}
function bodyText(body) {
    if (body === undefined || body === null)
        return undefined;
    if (typeof body === 'string')
        return body;
    if (body instanceof Uint8Array)
        return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    throw new TypeError('TargetDispatcher sends string or byte bodies only');
}
/** Dispatches every request to `target.request`. */
export class TargetDispatcher extends Dispatcher {
    target;
    closed = false;
    constructor(target) {
        super();
        this.target = target;
    }
    dispatch(opts, handler) {
        void this.run(opts, handler);
        return true;
    }
    async run(opts, handler) {
        let aborted = null;
        const controller = {
            get aborted() {
                return aborted !== null;
            },
            get paused() {
                return false;
            },
            get reason() {
                return aborted;
            },
            abort(reason) {
                aborted ??= reason;
            },
            pause() { },
            resume() { },
        };
        const legacy = handler.onRequestStart === undefined;
        const fail = (err) => {
            if (legacy)
                handler.onError?.(err);
            else
                handler.onResponseError?.(controller, err);
        };
        if (legacy)
            handler.onConnect?.((reason) => controller.abort(reason ?? new Error('aborted')));
        else
            handler.onRequestStart?.(controller, {});
        if (this.closed)
            return fail(new Error('TargetDispatcher is closed'));
        if (aborted)
            return fail(aborted);
        let res;
        try {
            const rawBody = bodyText(opts.body);
            res = await this.target.request({
                method: opts.method,
                path: opts.path,
                headers: headerRecord(opts.headers),
                ...(rawBody === undefined ? {} : { rawBody }),
            });
        }
        catch (err) {
            return fail(err instanceof Error ? err : new Error(String(err)));
        }
        if (aborted)
            return fail(aborted);
        const chunk = Buffer.from(res.rawBody, 'utf8');
        if (legacy) {
            const raw = [];
            for (const [k, v] of Object.entries(res.headers))
                raw.push(Buffer.from(k, 'latin1'), Buffer.from(v, 'latin1'));
            handler.onHeaders?.(res.status, raw, () => { }, '');
            if (chunk.length > 0)
                handler.onData?.(chunk);
            handler.onComplete?.([]);
            return;
        }
        handler.onResponseStart?.(controller, res.status, { ...res.headers }, '');
        if (chunk.length > 0)
            handler.onResponseData?.(controller, chunk);
        handler.onResponseEnd?.(controller, {});
    }
    close(callback) {
        this.closed = true;
        if (callback)
            return void queueMicrotask(callback);
        return Promise.resolve();
    }
    destroy(a, b) {
        this.closed = true;
        const callback = typeof a === 'function' ? a : b;
        if (callback)
            return void queueMicrotask(callback);
        return Promise.resolve();
    }
}
