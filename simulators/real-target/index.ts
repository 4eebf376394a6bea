/**
 * The simulator's real-target mode: offline devices against a real server with fault-injecting
 * undici interceptors. `runRealTarget` is the engine; `runRealTargetFromProfile` runs it against
 * the server a conformance target profile describes (for `syncproof simulate --target`).
 */
export {
  runRealTarget,
  DEFAULT_REAL_TARGET_FAULTS,
  NO_REAL_TARGET_FAULTS,
  REAL_TARGET_CHECKERS,
  type RealTargetOptions,
  type RealTargetRun,
  type RealTargetStats,
  type RealTargetFaults,
  type RealTenant,
  type RealActor,
  type Principal,
  type TokenProvider,
  type PushExchange,
  type EventReader,
  type ObservedMessage,
  type WorkloadAggregate,
} from './run-real-target.js';
export { runRealTargetFromProfile, type FromProfileOptions } from './from-profile.js';
export { simulateAgainstProfile, realFaultsFromNames, REAL_TARGET_FAULT_CLASSES, type SimulateTargetOptions } from './simulate-target.js';
export { profileRunSetup, type ProfileRunSetup } from './profile-setup.js';
export { streamEventReader, type StreamLayout, type StreamSource } from './stream-event-reader.js';
export { examplePlanner, expandExample } from './example-planner.js';
export { TargetDispatcher } from './target-dispatcher.js';
export { RealTimeEnv, type RealTimeEnvOptions } from './real-time-env.js';
export { eventIdOf, auditIdOf, uuidV8 } from './event-ids.js';
export * from './interceptors/index.js';
