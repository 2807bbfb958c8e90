import { Command, CommanderError } from 'commander';
import { loadSettings } from '../config/settings.js';
import { EXIT, UserError } from '../contract/user-error.js';
import { routineError, unexpectedError } from './routine-errors.js';
import { commandsFor } from './command-table.js';

const program = new Command('baton')
  .description('Run Claude Code workflow scripts durably on Temporal')
  .version('0.1.0')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)')
  // Settings are checked once, before any command, so a typo is named whatever the command.
  .hook('preAction', () => void loadSettings());

// No top-level await: the bundle is CommonJS, so that bin/baton.js can give V8 a code cache.
void main();

async function main(): Promise<void> {
  try {
    // Commands are registered from cli/command-table.ts, loading only the invoked one's module.
    for (const register of await commandsFor(process.argv[2])) register(program);
    await program.parseAsync(process.argv);
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

/** One clean line (or block) per known error; a stack trace only for the unexpected. */
function reportError(error: unknown): number {
  // Commander has printed its own message.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  const known = error instanceof UserError ? error : routineError(error);
  if (known) {
    console.error(known.cliMessage);
    return known.exitCode;
  }
  // Unexpected: a bug. Its stack is what a bug report needs, shown on request (BATON_DEBUG=1).
  console.error(unexpectedError(error, process.env.BATON_DEBUG === '1'));
  return EXIT.otherEnd;
}
