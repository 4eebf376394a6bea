/**
 * The process's real clock and entropy, handed to real-target runs: the one place they enter
 * `simulators/` (see real-target/real-world.ts; ESLint allows this file alone).
 */
import { randomBytes } from 'node:crypto';
import type { RealWorld } from '../real-target/real-world.js';

/** Real time and entropy of this process. */
export const systemRealWorld: RealWorld = {
  monotonicMs: () => performance.now(),
  epochMs: () => Date.now(),
  freshSalt: (bytes) => randomBytes(bytes).toString('hex'),
};
