// What an MCP tool answers (`baton mcp`): text for the model to read, the same data as
// structured content for clients that take it, and `isError` for failures the caller can fix
// (a bad script, an unknown run, a server that is not up), so they never surface as protocol errors.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CliError } from '../exit-codes.js';
import { routineError } from '../routine-errors.js';

export function toolOk(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

export function toolError(error: unknown): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: toolErrorText(error) }] };
}

// Errors Baton raises for routine trouble carry a message meant for a person; they are known by
// name, as cli/routine-errors.ts does, so this file does not load every module that defines one.
const OWN_MESSAGES = new Set(['RunSourceError', 'ResumeSourceError', 'SteeringRefused', 'SettingsError', 'ModelAccessError', 'ObjectStoreError', 'RerunRefused']);

export function toolErrorText(error: unknown): string {
  // The CLI's wording names commands; over MCP the same advice names the tools.
  const forTools = (text: string) => text.replace(/'baton ls'/g, 'baton_list').replace(/'baton status ([^']+)'/g, 'baton_status { run: "$1" }');
  if (error instanceof CliError) return forTools(error.message);
  if (error instanceof Error && OWN_MESSAGES.has(error.name)) return forTools(error.message);
  const routine = routineError(error);
  if (routine) return forTools(routine.message.replace(/^baton: /, ''));
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
