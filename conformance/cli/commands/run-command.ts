/**
 * `syncproof run [--target <profile.yaml>] [--only <id-glob>] [--seed <n>] [--out <dir>]
 * [--fail-on must|should] [--no-prism] [--no-report]`: runs the conformance suite. Exit 0 every
 * counted check passed, 1 a counted check failed, 2 bad usage or profile, 3 a counted check could
 * not decide (a service missing, a crash, a timeout).
 */
import { parseRunOptions } from '../../src/run/run-options.js';
import { randomSeed, runSuite } from '../../src/run/run-suite.js';

/** Entry point of the `run` command. */
export async function run(args: string[]): Promise<number> {
  return runSuite(parseRunOptions(args, randomSeed));
}
