/** The compressed real-time env of real-target devices. */
import { expect, test } from 'vitest';
import { RealTimeEnv } from '../../real-target/real-time-env.js';
import { systemRealWorld } from '../../cli/system-real-world.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('timers run after delay / timeScale real ms, in order, and the clock moves timeScale times faster', async () => {
  const env = new RealTimeEnv({ world: systemRealWorld, seed: 1, timeScale: 100, startMs: 0 });
  const fired: string[] = [];
  env.after(3_000, () => fired.push('30ms'));
  env.after(1_000, () => fired.push('10ms'));
  const cancelled = env.after(2_000, () => fired.push('cancelled'));
  cancelled.cancel();
  await sleep(60);
  expect(fired).toEqual(['10ms', '30ms']);
  expect(cancelled.cancelled).toBe(true);
  expect(env.now()).toBeGreaterThanOrEqual(6_000);
  env.dispose();
});

test('dispose cancels pending timers and later ones never fire; a throwing action is kept, not thrown', async () => {
  const env = new RealTimeEnv({ world: systemRealWorld, seed: 1, timeScale: 100 });
  const fired: string[] = [];
  env.after(0, () => {
    throw new Error('boom');
  });
  await sleep(10);
  env.after(1_000, () => fired.push('pending'));
  env.dispose();
  env.after(0, () => fired.push('after dispose'));
  await sleep(30);
  expect(fired).toEqual([]);
  expect((env.errors[0] as Error).message).toBe('boom');
});

test('the seeded stream is the same for the same seed', () => {
  const a = new RealTimeEnv({ world: systemRealWorld, seed: 5 });
  const b = new RealTimeEnv({ world: systemRealWorld, seed: 5 });
  expect([a.random.uint32(), a.random.uuid()]).toEqual([b.random.uint32(), b.random.uuid()]);
  expect(() => new RealTimeEnv({ world: systemRealWorld, seed: 1, timeScale: 0.5 })).toThrow(RangeError);
});
