// One tool call, start to finish: check the input, run it, and turn whatever happens into
// the text of a tool_result. A tool never crashes the agent loop; the model sees the error
// and can correct itself.
import { ensureError, ToolError } from '../agent-errors.js';
import { compileSchema } from '../json-schema.js';
import type { AgentTool, ToolContext } from './tool.js';

// About 25k tokens: larger results crowd out the rest of the conversation.
export const MAX_TOOL_RESULT_CHARS = 100_000;

export interface ToolRun {
  content: string;
  isError: boolean;
}

export async function runTool(tool: AgentTool | undefined, name: string, input: unknown, ctx: ToolContext): Promise<ToolRun> {
  if (!tool) return { content: `<tool_use_error>No such tool available: ${name}</tool_use_error>`, isError: true };
  const checked = compileSchema(tool.inputSchema)(input);
  if (!checked.ok) {
    return { content: `<tool_use_error>InputValidationError: ${name} failed due to the following issues:\n${checked.errors}</tool_use_error>`, isError: true };
  }
  try {
    const output = await tool.run(input, ctx);
    return { content: capped(output || '(no output)'), isError: false };
  } catch (e) {
    const error = ensureError(e);
    if (ctx.signal?.aborted) throw ctx.signal.reason ?? error;
    // A ToolError is a message for the model; anything else is a fault in the tool or the
    // filesystem, still reported rather than thrown so one bad call does not lose the agent's work.
    const message = error instanceof ToolError ? error.message : `${name} failed: ${error.message}`;
    return { content: `<tool_use_error>${message}</tool_use_error>`, isError: true };
  }
}

function capped(text: string): string {
  if (text.length <= MAX_TOOL_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_TOOL_RESULT_CHARS)}\n\n[Output truncated: ${text.length} characters, showing the first ${MAX_TOOL_RESULT_CHARS}. Narrow the request to see the rest.]`;
}
