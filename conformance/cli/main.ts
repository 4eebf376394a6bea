/** Entry point of the `syncproof` CLI: dispatches to the registered subcommands. */
import { readFileSync } from 'node:fs';
import { COMMANDS } from './commands.js';
import { ExitCode, UsageError } from './usage-error.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: syncproof <command> [options]',
    '',
    'Conformance suite and contract toolkit for offline-first client synchronization.',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'exit codes: 0 all required checks pass · 1 a check failed · 2 bad usage or config · 3 inconclusive',
    "run 'syncproof <command> --help' for a command's options",
  ].join('\n');
}

/** Runs the CLI with the given arguments and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${overview()}\n`);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return ExitCode.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`syncproof: unknown command '${name}' (see 'syncproof --help')\n`);
    return ExitCode.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return ExitCode.ok;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`syncproof ${name}: ${err.message}\n`);
      return ExitCode.usage;
    }
    throw err;
  }
}
