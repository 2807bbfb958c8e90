import { Command, CommanderError } from 'commander';
import { loadSettings, SettingsError } from '../config/settings.js';
import { ModelAccessError } from '../config/model-access.js';
import { ObjectStoreError } from '../storage/object-store-error.js';
import { CliError, EXIT } from './exit-codes.js';
import { registerCheck } from './commands/check.js';
import { registerCodecServer } from './commands/codec-server.js';
import { registerResult } from './commands/result.js';
import { registerRun } from './commands/run.js';
import { registerSave } from './commands/save.js';
import { registerSchedule } from './commands/schedule.js';
import { registerStack } from './commands/stack.js';
import { registerStatus } from './commands/status.js';
import { registerWorkflows } from './commands/workflows.js';
import { registerAgent } from './commands/agent.js';
import { registerLs } from './commands/ls.js';
import { registerSteer } from './commands/steer.js';
import { registerAuthor } from './commands/author.js';

const program = new Command('baton')
  .description('Run Claude Code workflow scripts durably on Temporal')
  .version('0.1.0')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)')
  // Settings are checked once, before any command, so a typo is named whatever the command.
  .hook('preAction', () => void loadSettings());

registerRun(program);
registerCheck(program);
registerStatus(program);
registerLs(program);
registerAgent(program);
registerSteer(program);
registerResult(program);
registerStack(program);
registerCodecServer(program);
registerWorkflows(program);
registerSave(program);
registerSchedule(program);
registerAuthor(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}

/** One clean line (or block) per known error; a stack trace only for the unexpected. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof CliError) {
    console.error(error.message);
    return error.exitCode;
  }
  if (error instanceof ObjectStoreError) {
    console.error(`baton: ${error.message}`);
    return EXIT.otherEnd;
  }
  if (error instanceof SettingsError || error instanceof ModelAccessError) {
    console.error(`baton: ${error.message}`);
    return EXIT.usage;
  }
  // Unexpected: keep the stack, it is what a bug report needs.
  console.error(error instanceof Error ? `baton: ${error.stack ?? error.message}` : error);
  return EXIT.otherEnd;
}
