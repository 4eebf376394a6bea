/**
 * `syncproof mock [--port <n>]`: serves a Prism mock of the sync contract (contracts/openapi) for
 * client teams, until SIGINT/SIGTERM. Prism is started from node_modules/.bin and stopped by its PID.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../usage-error.js';
import { OPENAPI_PATH, startPrism } from '../../src/run/prism-proxy.js';

/** Entry point of the `mock` command. */
export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, strict: true, allowPositionals: false, options: { port: { type: 'string' } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]}\nusage: syncproof mock [--port <n>]`);
  }
  const raw = parsed.values.port ?? '4010';
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) throw new UsageError(`--port must be 1..65535, got '${raw}'`);
  const prism = await startPrism('mock', undefined, { port: Number(raw) });
  if ('unavailable' in prism) {
    process.stderr.write(`syncproof mock: ${prism.unavailable}\n`);
    return 3;
  }
  process.stdout.write(`syncproof mock: serving a Prism mock of ${OPENAPI_PATH} at ${prism.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await prism.close();
  return 0;
}
