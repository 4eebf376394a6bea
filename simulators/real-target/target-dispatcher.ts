/**
 * A {@link Target} seen as an undici `Dispatcher`, so the fault interceptors compose over any
 * target the same way: `new TargetDispatcher(target).compose(...faultInterceptors(...))`. An HTTP
 * target gets its requests through its own pool; the reference server's in-process target
 * (`app.inject`, no socket) gets them without a network — and the faults still happen above it.
 * The request's origin is ignored: the target knows where it lives.
 */
import { Dispatcher } from 'undici';
import type { Target } from '../../conformance/src/target/target.js';

type Handler = Dispatcher.DispatchHandler;

/** Request headers in any of undici's shapes, as a plain lower-cased record. */
export function headerRecord(headers: Dispatcher.DispatchOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined || headers === null) return out;
  const put = (k: unknown, v: unknown): void => {
    if (v === undefined || v === null) return;
    out[String(k).toLowerCase()] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  };
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) put(headers[i], headers[i + 1]);
  } else if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function' && !(typeof headers === 'object' && headers.constructor === Object)) {
    for (const [k, v] of headers as Iterable<[string, string | string[] | undefined]>) put(k, v);
  } else {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) put(k, v);
  }
  return out;
}

function bodyText(body: Dispatcher.DispatchOptions['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  throw new TypeError('TargetDispatcher sends string or byte bodies only');
}

/** Dispatches every request to `target.request`. */
export class TargetDispatcher extends Dispatcher {
  private closed = false;

  constructor(readonly target: Target) {
    super();
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Handler): boolean {
    void this.run(opts, handler);
    return true;
  }

  private async run(opts: Dispatcher.DispatchOptions, handler: Handler): Promise<void> {
    let aborted: Error | null = null;
    const controller: Dispatcher.DispatchController = {
      get aborted() {
        return aborted !== null;
      },
      get paused() {
        return false;
      },
      get reason() {
        return aborted;
      },
      abort(reason: Error) {
        aborted ??= reason;
      },
      pause() {},
      resume() {},
    };
    const legacy = handler.onRequestStart === undefined;
    const fail = (err: Error): void => {
      if (legacy) handler.onError?.(err);
      else handler.onResponseError?.(controller, err);
    };
    if (legacy) handler.onConnect?.((reason?: Error) => controller.abort(reason ?? new Error('aborted')));
    else handler.onRequestStart?.(controller, {});
    if (this.closed) return fail(new Error('TargetDispatcher is closed'));
    if (aborted) return fail(aborted);
    let res;
    try {
      const rawBody = bodyText(opts.body);
      res = await this.target.request({
        method: opts.method,
        path: opts.path,
        headers: headerRecord(opts.headers),
        ...(rawBody === undefined ? {} : { rawBody }),
      });
    } catch (err) {
      return fail(err instanceof Error ? err : new Error(String(err)));
    }
    if (aborted) return fail(aborted);
    const chunk = Buffer.from(res.rawBody, 'utf8');
    if (legacy) {
      const raw: Buffer[] = [];
      for (const [k, v] of Object.entries(res.headers)) raw.push(Buffer.from(k, 'latin1'), Buffer.from(v, 'latin1'));
      handler.onHeaders?.(res.status, raw, () => {}, '');
      if (chunk.length > 0) handler.onData?.(chunk);
      handler.onComplete?.([]);
      return;
    }
    handler.onResponseStart?.(controller, res.status, { ...res.headers }, '');
    if (chunk.length > 0) handler.onResponseData?.(controller, chunk);
    handler.onResponseEnd?.(controller, {});
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.closed = true;
    if (callback) return void queueMicrotask(callback);
    return Promise.resolve();
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    this.closed = true;
    const callback = typeof a === 'function' ? a : b;
    if (callback) return void queueMicrotask(callback);
    return Promise.resolve();
  }
}
