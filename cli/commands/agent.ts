import type { Command } from 'commander';
import { fetchAgentDetail } from '../../client/agent-detail.js';
import { connectClient } from '../../client/connection.js';
import { workflowIdOf } from '../../client/find-run.js';
import { steerAgent, type AgentSteer } from '../../client/steer-run.js';
import { loadSettings } from '../../config/settings.js';
import { agentCardLines } from '../agent-card.js';
import { CliError, EXIT } from '../exit-codes.js';
import { printAnswer, steered } from './steer.js';

export function registerAgent(program: Command): void {
  const agent = program
    .command('agent')
    .description('one agent of a run: prompt, recent tool calls, result, usage (or: agent stop|restart RUN ID)')
    .argument('<run>', "the run id (workflow id, or Temporal's run id)")
    .argument('<agent>', 'the agent id, e.g. a3 (see `baton status RUN`)')
    .option('--json', 'print JSON: { agent, prompt, recentToolCalls, result, partial }')
    .action(async (workflowId: string, agentId: string, flags: { json?: boolean }) => {
      const client = await connectClient(loadSettings().home);
      workflowId = await workflowIdOf(client, workflowId);
      const answer = await fetchAgentDetail(client, workflowId, agentId);
      if (!answer) throw new CliError(`${workflowId} has no agent ${agentId}; 'baton status ${workflowId}' lists its agents.`, EXIT.otherEnd);
      if (flags.json) console.log(JSON.stringify(answer, null, 2));
      else console.log(agentCardLines(answer).join('\n'));
    });

  const actions: Array<[AgentSteer, string]> = [
    ['stop', 'cancel that agent (or keep it from starting); its agent() call resolves to null'],
    ['restart', 'cancel that running agent and start it again from scratch; its agent() call gets the new result'],
  ];
  for (const [action, description] of actions) {
    agent
      .command(action)
      .description(description)
      .argument('<run>', "the run id (workflow id, or Temporal's run id)")
      .argument('<agent>', 'the agent id, e.g. a3')
      .option('--json', 'print JSON: { workflowId, status, message }')
      .action(async (workflowId: string, agentId: string, flags: { json?: boolean }) => {
        const client = await connectClient(loadSettings().home);
        workflowId = await workflowIdOf(client, workflowId);
        // `--json` after the ids is taken by the parent `agent` command, which has the option too.
        const json = flags.json ?? (agent.opts() as { json?: boolean }).json;
        printAnswer(workflowId, await steered(() => steerAgent(client, workflowId, agentId, action)), json);
      });
  }
}
