import { describe, expect, test } from 'vitest';
import { createRandom } from '../../src/env/random.js';
import { createSimEnv } from '../../src/env/sim-env.js';
import { NO_NETWORK_FAULTS } from '../../src/env/network.js';
describe('Random', () => {
    test('the same seed gives the same stream; forks are independent and stable', () => {
        const a = createRandom(42);
        const b = createRandom(42);
        const xs = Array.from({ length: 50 }, () => a.uint32());
        expect(Array.from({ length: 50 }, () => b.uint32())).toEqual(xs);
        expect(createRandom(43).uint32()).not.toBe(xs[0]);
        const f1 = createRandom(42).fork('x');
        const f2 = createRandom(42).fork('x');
        expect(f1.uuid()).toBe(f2.uuid());
        expect(createRandom(42).fork('y').uuid()).not.toBe(createRandom(42).fork('x').uuid());
    });
    test('chance(0) and chance(1) never draw', () => {
        const a = createRandom(7);
        const b = createRandom(7);
        expect(a.chance(0)).toBe(false);
        expect(a.chance(1)).toBe(true);
        expect(a.uint32()).toBe(b.uint32());
    });
    test('int stays in range and uuid has the v4 layout', () => {
        const r = createRandom(1);
        for (let i = 0; i < 1000; i++) {
            const x = r.int(-3, 5);
            expect(x).toBeGreaterThanOrEqual(-3);
            expect(x).toBeLessThanOrEqual(5);
        }
        expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
});
describe('Scheduler and clock', () => {
    test('events run in time order, ties in insertion order, and the clock jumps to each event', async () => {
        const env = createSimEnv({ seed: 1 });
        const seen = [];
        env.scheduler.after(50, () => void seen.push(`b@${env.clock.now() - 1767225600000}`));
        env.scheduler.after(10, () => void seen.push(`a@${env.clock.now() - 1767225600000}`));
        env.scheduler.after(50, () => void seen.push(`c@${env.clock.now() - 1767225600000}`));
        const cancelled = env.scheduler.after(20, () => void seen.push('never'));
        cancelled.cancel();
        expect(await env.scheduler.run()).toBe('idle');
        expect(seen).toEqual(['a@10', 'b@50', 'c@50']);
    });
    test('an async event completes before the next one starts', async () => {
        const env = createSimEnv({ seed: 1 });
        const seen = [];
        env.scheduler.after(1, async () => {
            await Promise.resolve();
            seen.push('first-done');
        });
        env.scheduler.after(1, () => void seen.push('second'));
        await env.scheduler.run();
        expect(seen).toEqual(['first-done', 'second']);
    });
    test('warp moves the clock and every pending event by the same delta', async () => {
        const env = createSimEnv({ seed: 1 });
        const start = env.clock.now();
        let at = 0;
        env.scheduler.after(100, () => {
            at = env.clock.now() - start;
        });
        env.scheduler.warp(1_000_000);
        await env.scheduler.run();
        expect(at).toBe(1_000_100);
    });
});
describe('Network', () => {
    test('without faults every message arrives once; a partition loses them', async () => {
        const env = createSimEnv({ seed: 3, networkFaults: NO_NETWORK_FAULTS });
        let got = 0;
        for (let i = 0; i < 100; i++)
            env.network.send('request', 'd0', () => void got++);
        await env.scheduler.run();
        expect(got).toBe(100);
        env.network.partition('d0', env.clock.now() + 1000);
        env.network.send('request', 'd0', () => void got++);
        await env.scheduler.run();
        expect(got).toBe(100);
    });
    test('drop and duplicate faults happen at roughly their probability and are reported', async () => {
        const faults = { ...NO_NETWORK_FAULTS, request: { drop: 0.2, duplicate: 0.1, delay: 0, maxExtraDelayMs: 0 } };
        const reports = [];
        const env = createSimEnv({ seed: 5, networkFaults: faults, onFault: (r) => reports.push(r.fault) });
        let got = 0;
        for (let i = 0; i < 5000; i++)
            env.network.send('request', 'd0', () => void got++);
        await env.scheduler.run();
        const drops = reports.filter((r) => r === 'drop').length;
        const dups = reports.filter((r) => r === 'duplicate').length;
        expect(drops).toBeGreaterThan(800);
        expect(drops).toBeLessThan(1200);
        expect(got).toBe(5000 - drops + dups);
    });
});
