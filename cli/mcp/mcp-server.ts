// `baton mcp` (docs/mcp.md): Baton as an MCP server, so Claude Code hands a workflow to Baton
// without leaving the conversation. Every tool answers at once; a run is followed by polling.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ClientHolder } from './client-holder.js';
import { runTool, runToolInput } from './run-tool.js';
import { approveInput, approveTool, listInput, listTool, resultTool, runIdInput, statusTool, stopTool } from './run-tools.js';
import { listAnswer, resultAnswer, runAnswer, statusAnswer, steerAnswer } from './tool-answers.js';
import { toolError } from './tool-result.js';

export function batonMcpServer(clients = new ClientHolder()): McpServer {
  const server = new McpServer({ name: 'baton', version: '0.1.0' });
  const guarded =
    <I>(tool: (input: I, clients: ClientHolder) => Promise<CallToolResult>) =>
    async (input: I): Promise<CallToolResult> => {
      try {
        return await tool(input, clients);
      } catch (error) {
        return toolError(error);
      }
    };

  server.registerTool(
    'baton_run',
    {
      title: 'Run a workflow on Baton',
      description:
        'Start a Claude Code workflow script durably on Baton (Temporal): it survives crashes and closed laptops, runs its agents on the fleet, and holds its budgets. ' +
        'Answers at once with the workflow id and the approval card (what will run, where, with which model and limits); it never waits for the run. ' +
        'Follow with baton_status, read the end with baton_result.',
      inputSchema: runToolInput,
      outputSchema: runAnswer,
    },
    guarded(runTool),
  );
  server.registerTool(
    'baton_status',
    {
      title: 'Status of a Baton run',
      description: 'Phases, agents (state, tokens, errors), the latest log lines and totals of a run, running or ended.',
      inputSchema: runIdInput,
      outputSchema: statusAnswer,
      annotations: { readOnlyHint: true },
    },
    guarded(statusTool),
  );
  server.registerTool(
    'baton_result',
    {
      title: 'Result of a Baton run',
      description: "The value the run's script returned, once it has ended (or its error).",
      inputSchema: runIdInput,
      outputSchema: resultAnswer,
      annotations: { readOnlyHint: true },
    },
    guarded(resultTool),
  );
  server.registerTool(
    'baton_stop',
    {
      title: 'Stop a Baton run',
      description: 'Stop a run: running agents are cancelled, the rest never start; succeeded results are kept.',
      inputSchema: runIdInput,
      outputSchema: steerAnswer,
      annotations: { destructiveHint: true },
    },
    guarded(stopTool),
  );
  server.registerTool(
    'baton_list',
    {
      title: 'Recent Baton runs',
      description: 'Recent runs, newest first: id, name, status, agents, cost.',
      inputSchema: listInput,
      outputSchema: listAnswer,
      annotations: { readOnlyHint: true },
    },
    guarded(listTool),
  );
  server.registerTool(
    'baton_approve',
    {
      title: 'Answer an approve() of a Baton run',
      description: "Answer the approve() call a run waits at (status 'waiting'): yes, or no with reject. Only on the user's say-so.",
      inputSchema: approveInput,
      outputSchema: steerAnswer,
    },
    guarded(approveTool),
  );
  return server;
}
