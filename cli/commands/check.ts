import type { Command } from 'commander';
import { compileOrExit } from '../compile-or-exit.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('compile and validate a script without running it (exit 2 on errors)')
    .argument('<script>', "the script file, or the name of a saved workflow ('baton workflows' lists them)")
    .action(async (scriptPath: string) => {
      const script = await compileOrExit(scriptPath);
      const phases = script.meta.phases?.map((p) => p.title).join(' → ');
      console.log(`ok: ${script.meta.name}: ${script.meta.description}${phases ? `\n  phases: ${phases}` : ''}`);
    });
}
