// The options `baton run` and `baton schedule create` share, defined once so their names, help and
// parsing cannot drift apart (docs/cli.md is generated from both).
import type { Command } from 'commander';

const repeatable = (value: string, values: string[] = []) => [...values, value];

/** What agents may use: the default model, how many at once, and the Bash rules and hosts they may reach. */
export function withAgentOptions(command: Command): Command {
  return command
    .option('--model <model>', "default model: 'opus', 'sonnet', 'haiku' or a model id")
    .option('--concurrency <n>', 'agents at once (1..256, default 16)')
    .option('--max-agents <n>', 'agents per run (default 1000)')
    .option('--allow <rule>', "let agents run matching Bash commands, e.g. 'Bash(npm test:*)' (repeatable)", repeatable)
    .option(
      '--allow-net <host>',
      "let agents' Bash commands reach HOST[:PORT] through the sandbox, e.g. 127.0.0.1:5432 (repeatable; default: no network)",
      repeatable,
    );
}
