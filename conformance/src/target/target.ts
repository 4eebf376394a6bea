/**
 * The only way simulators and conformance checks reach a server. An HTTP target speaks undici to a
 * URL; the reference server also exports an in-process target (no sockets) for deterministic
 * simulation. Checks never import a server's modules.
 */

/** A request as a check or a simulated client states it. */
export interface TargetRequest {
  readonly method: string;
  /** Path and query, starting with `/`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value; the target serialises it. Ignored when `rawBody` is set. */
  readonly body?: unknown;
  /** Bytes sent as they are (malformed JSON, oversized bodies). */
  readonly rawBody?: string;
}

/** What came back. Header names are lower-case. */
export interface TargetResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or `undefined` when the body is empty or not JSON. */
  readonly body: unknown;
  readonly rawBody: string;
}

/** A server under test. */
export interface Target {
  /** Names the target in reports (e.g. `reference (in-process)` or a base URL). */
  readonly name: string;
  request(req: TargetRequest): Promise<TargetResponse>;
  close(): Promise<void>;
}
