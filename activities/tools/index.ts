// The tool registry. A tool joins Baton by being listed here; a profile or `agent({ tools })`
// can only narrow the list, never add to it.
import { bashTool } from './bash-tool.js';
import { editTool } from './edit-tool.js';
import { globTool } from './glob-tool.js';
import { grepTool } from './grep-tool.js';
import { readTool } from './read-tool.js';
import { skillTool } from './skill-tool.js';
import type { AgentTool } from './tool.js';
import { writeTool } from './write-tool.js';

export type { AgentTool, ToolContext, ToolInputSchema } from './tool.js';
export { runTool, type ToolRun } from './run-tool.js';

/** Every tool an agent may be given, in the order they are offered to the model. */
export const TOOL_REGISTRY: readonly AgentTool[] = [readTool, writeTool, editTool, globTool, grepTool, bashTool, skillTool];

/**
 * The registry narrowed by each list given (`undefined` = no restriction). Names no tool has
 * are ignored: a script naming a tool this worker lacks gets the rest, not a failure.
 */
export function selectTools(...allowLists: Array<readonly string[] | undefined>): AgentTool[] {
  return TOOL_REGISTRY.filter((tool) => allowLists.every((list) => list === undefined || list.includes(tool.name)));
}
