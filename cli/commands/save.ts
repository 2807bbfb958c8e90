import type { Command } from 'commander';
import { connectClient } from '../../client/connection.js';
import { workflowIdOf } from '../../client/find-run.js';
import { loadSettings } from '../../config/settings.js';
import { saveRun } from '../save-run.js';

export function registerSave(program: Command): void {
  program
    .command('save')
    .description("save a run's script as a named workflow, in the project's .claude/workflows/ (or ~/.claude/workflows/ with --personal)")
    .argument('<run>', "the run id (workflow id, or Temporal's run id)")
    .option('--personal', 'save to ~/.claude/workflows/ instead of the project')
    .option('--name <name>', "the workflow's name (default: the script's meta.name)")
    .option('--force', 'overwrite a saved workflow of the same name')
    .action(async (runId: string, flags: { personal?: boolean; name?: string; force?: boolean }) => {
      const client = await connectClient(loadSettings().home);
      runId = await workflowIdOf(client, runId);
      const saved = await saveRun(client, runId, flags);
      const name = saved.name;
      console.log(`${saved.replaced ? 'replaced' : 'saved'} ${saved.path} (${saved.where})`);
      if (saved.shadows) console.error(`note: it shadows the ${saved.shadows.origin} workflow ${saved.shadows.path}`);
      if (saved.shadowedBy) console.error(`note: the ${saved.shadowedBy.origin} workflow ${saved.shadowedBy.path} still wins over it for 'baton run ${name}'`);
      else console.error(`run it with: baton run ${name}`);
    });
}
