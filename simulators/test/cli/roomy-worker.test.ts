/**
 * The roomy worker runs a command's entry in an isolate with a larger young generation than the
 * default (16 MB semi-spaces), hands back its exit code, and reports a throw as a rejection.
 */
import { expect, test } from 'vitest';
import { runInRoomyWorker } from '../../cli/roomy-worker.js';

const fixture = new URL('./fixtures/young-generation.ts', import.meta.url).href;

test('the worker gets 64 MB semi-spaces and passes the exit code back', async () => {
  expect(await runInRoomyWorker(fixture, 'run', [])).toBeGreaterThanOrEqual(64);
  expect(await runInRoomyWorker(fixture, 'run', ['code', '3'])).toBe(3);
}, 30_000);

test('a throw in the worker rejects', async () => {
  await expect(runInRoomyWorker(fixture, 'run', ['throw'])).rejects.toThrow('boom in the worker');
}, 30_000);
