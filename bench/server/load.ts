/**
 * The load generator: undici, a fixed number of requests in flight, each worker sending its next
 * body as soon as the previous answer is read. Reports wall time and status counts.
 */
import { Pool } from 'undici';

/** Result of one load run. */
export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly statuses: Readonly<Record<number, number>>;
}

/** Sends every body once with `inFlight` concurrent requests. */
export async function drive(
  url: string,
  path: string,
  headers: Record<string, string>,
  bodies: readonly string[],
  inFlight: number,
): Promise<LoadResult> {
  const pool = new Pool(url, { connections: inFlight, pipelining: 1, keepAliveTimeout: 30_000 });
  const statuses: Record<number, number> = {};
  let next = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const res = await pool.request({ method: 'POST', path, headers, body });
      await res.body.text();
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await pool.close();
  return { requests: bodies.length, seconds, statuses };
}

/** Median of numbers. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
