/**
 * The simulator's real-target mode: offline devices against a real server with fault-injecting
 * undici interceptors. `runRealTarget` is the engine; `runRealTargetFromProfile` runs it against
 * the server a conformance target profile describes (for `syncproof simulate --target`).
 */
export { runRealTarget, DEFAULT_REAL_TARGET_FAULTS, NO_REAL_TARGET_FAULTS, REAL_TARGET_CHECKERS, } from './run-real-target.js';
export { runRealTargetFromProfile } from './from-profile.js';
export { simulateAgainstProfile, realFaultsFromNames, REAL_TARGET_FAULT_CLASSES } from './simulate-target.js';
export { profileRunSetup } from './profile-setup.js';
export { streamEventReader } from './stream-event-reader.js';
export { examplePlanner, expandExample } from './example-planner.js';
export { TargetDispatcher } from './target-dispatcher.js';
export { RealTimeEnv } from './real-time-env.js';
export { eventIdOf, auditIdOf, uuidV8 } from './event-ids.js';
export * from './interceptors/index.js';
