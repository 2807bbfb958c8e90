// What an MCP tool answers (`baton mcp`): text for the model to read, the same data as
// structured content for clients that take it, and `isError` for failures the caller can fix
// (a bad script, an unknown run, a server that is not up), so they never surface as protocol errors.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { UserError } from '../../contract/user-error.js';
import { routineError } from '../routine-errors.js';

/**
 * The answer `value`, parsed with the tool's output schema (cli/mcp/tool-answers.ts) as the client
 * will receive it: after JSON (which drops undefined), and stripped of fields the schema does not
 * declare. A value that does not fit is Baton's own bug, told in one line.
 */
export function toolOk<S extends z.ZodObject>(text: string, schema: S, value: z.input<S>): CallToolResult {
  const parsed = schema.safeParse(JSON.parse(JSON.stringify(value)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`the answer does not fit its output schema at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { content: [{ type: 'text', text }], structuredContent: parsed.data as Record<string, unknown> };
}

export function toolError(error: unknown): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: toolErrorText(error) }] };
}

// Errors Baton raises for routine trouble carry a message meant for a person; they are known by
// name, as cli/routine-errors.ts does, so this file does not load every module that defines one.
const OWN_MESSAGES = new Set(['RunSourceError', 'ResumeSourceError', 'SteeringRefused', 'RerunRefused']);

export function toolErrorText(error: unknown): string {
  // The CLI's wording names commands; over MCP the same advice names the tools.
  const forTools = (text: string) => text.replace(/'baton ls'/g, 'baton_list').replace(/'baton status ([^']+)'/g, 'baton_status { run: "$1" }');
  if (error instanceof UserError) return forTools(oneLine(error.message));
  if (error instanceof Error && OWN_MESSAGES.has(error.name)) return forTools(oneLine(error.message));
  const routine = routineError(error);
  if (routine) return forTools(oneLine(routine.message));
  // One line, no stack: the first line of the message is the part a caller can act on.
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected error: ${message.split('\n')[0]}`;
}

/** A terminal's two lines (what happened, what to do) as the one line a tool answers. */
function oneLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.map((line, i) => (i < lines.length - 1 && !/[.!?:;)]$/.test(line) ? `${line}.` : line)).join(' ');
}
