/**
 * Runs a big simulation in a worker thread whose young generation is sized for it.
 *
 * Why: a simulated mutation's objects (queued mutation, request body, network message, timers,
 * the server's working set) live for a few virtual seconds — thousands of scheduler events, longer
 * than V8's default 16 MB semi-space lasts. They survive every scavenge, are copied twice, promoted
 * and die in the old generation: a day-long run of 1000 clients spent a fifth of its time in
 * scavenges. With 64 MB semi-spaces most of them die young. V8 sizes a young generation once, when
 * an isolate starts (a flag set later is ignored), so the run gets an isolate of its own: a worker
 * started with `resourceLimits`. Nothing about the run changes but where it runs — same code, same
 * seed, same history.
 */
import { isMainThread, Worker } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { totalmem } from 'node:os';

/** Semi-space size for the worker, MB (V8's young generation is three of them). */
const SEMI_SPACE_MB = 64;

/**
 * The worker's entry (CommonJS, evaluated): installs the TypeScript loader when the command runs
 * from source (loader hooks registered in the main thread do not reach workers), then runs the
 * named export and posts its exit code.
 */
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx !== null) (await import(workerData.tsx)).register();
  const m = await import(workerData.moduleUrl);
  parentPort.postMessage(await m[workerData.exportName](workerData.args));
})();
`;

/** True where a command may start a roomy worker (not already inside a worker thread). */
export function canStartRoomyWorker(): boolean {
  return isMainThread;
}

/**
 * Runs `export function <exportName>(args: string[]): Promise<number>` of the module at
 * `moduleUrl` in a worker with a large young generation, and resolves to the number it returns.
 * The worker writes to this process's stdout and stderr. A throw in the worker rejects.
 */
export function runInRoomyWorker(moduleUrl: string, exportName: string, args: readonly string[]): Promise<number> {
  const tsx = moduleUrl.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : null;
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { moduleUrl, exportName, args: [...args], tsx },
    resourceLimits: {
      maxYoungGenerationSizeMb: 3 * SEMI_SPACE_MB,
      // At least this process's limit (a worker's default may be lower), and up to half the machine:
      // the run keeps its history as text in the heap, ~1.4 KB per mutation.
      maxOldGenerationSizeMb: Math.max(Math.round(getHeapStatistics().heap_size_limit / 2 ** 20), Math.floor(totalmem() / 2 / 2 ** 20)),
    },
  });
  return new Promise((resolve, reject) => {
    let code: number | undefined;
    worker.on('message', (m: unknown) => {
      code = typeof m === 'number' ? m : undefined;
    });
    worker.on('error', reject);
    worker.on('exit', (exit) => {
      if (code === undefined) reject(new Error(`the simulation worker stopped (exit ${exit}) without an answer`));
      else resolve(code);
    });
  });
}
