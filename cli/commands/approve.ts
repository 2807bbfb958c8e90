import type { Command } from 'commander';
import { answerApproval } from '../../client/approve-run.js';
import { connectClient } from '../../client/connection.js';
import { workflowIdOf } from '../../client/find-run.js';
import { loadSettings } from '../../config/settings.js';
import { printAnswer, steered } from './steer.js';

export function registerApprove(program: Command): void {
  program
    .command('approve')
    .description('answer the approve() call a run waits at (the oldest, when several wait): it resolves to true, or false with --reject')
    .argument('<run>', "the run id (workflow id, or Temporal's run id)")
    .option('--reject', 'answer no: approve() resolves to false')
    .option('--id <approval>', 'answer only if this approval (q1, q2, ...) is the one first in line')
    .option('--json', 'print JSON: { workflowId, status, message }')
    .action(async (workflowId: string, flags: { reject?: boolean; id?: string; json?: boolean }) => {
      const client = await connectClient(loadSettings().home);
      workflowId = await workflowIdOf(client, workflowId);
      const answer = await steered(() => answerApproval(client, workflowId, flags.reject !== true, flags.id));
      printAnswer(workflowId, answer, flags.json);
    });
}
