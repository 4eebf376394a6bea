/** Bad usage or configuration: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes of every `syncproof` subcommand. */
export const ExitCode = {
  /** Every required check passed. */
  ok: 0,
  /** At least one check failed. */
  failed: 1,
  /** Bad usage or configuration. */
  usage: 2,
  /** Inconclusive: a check could not decide (service missing, crash, timeout) or the command cannot do it yet. */
  inconclusive: 3,
} as const;
