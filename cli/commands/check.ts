import { homedir } from 'node:os';
import type { Command } from 'commander';
import { checkAgentTypes } from '../agent-types-lines.js';
import { compileOrExit } from '../compile-or-exit.js';
import { dryRun, type DryRunFlags } from '../dry-run.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('compile and validate a script without running it (exit 2 on errors); warns where it would not run on Claude Code')
    .argument('<script>', "the script file, or the name of a saved workflow ('baton workflows' lists them)")
    .option('--dry-run', 'run the script on a worker with placeholder agents (no model calls); print agents per phase and a cost range')
    .option('--args <json>', 'with --dry-run: arguments passed to the script as `args`')
    .option('--model <model>', "with --dry-run: default model: 'opus', 'sonnet', 'haiku' or a model id")
    .option('--json', 'with --dry-run: print { phases, agents, costUsd: { low, high } } as JSON')
    .option('--repo <url>', 'with --dry-run: the git remote the run would work on (its --ref is pinned, which checks it is reachable)')
    .option('--ref <ref>', 'with --dry-run and --repo: the branch, tag or commit')
    .action(async (scriptPath: string, flags: DryRunFlags & { dryRun?: boolean }) => {
      const script = await compileOrExit(scriptPath, undefined, { portability: true });
      if (flags.dryRun) return dryRun(script, { args: flags.args, json: flags.json, model: flags.model, repo: flags.repo, ref: flags.ref });
      const phases = script.meta.phases?.map((p) => p.title).join(' → ');
      // docs/agents.md#agent-types: from here, as `baton run` here would read them.
      const types = checkAgentTypes(script.program, process.cwd(), process.env.HOME || homedir());
      for (const warning of types.warnings) process.stderr.write(`warning: ${warning}\n`);
      console.log(
        `ok: ${script.meta.name}: ${script.meta.description}${phases ? `\n  phases: ${phases}` : ''}${types.line ? `\n  agent types: ${types.line}` : ''}`,
      );
    });
}
