// What every agent tool is. Names, input fields and descriptions follow Claude Code, because
// Claude models are trained on them and call them correctly without coaching.
import type { SkillFile } from '../../contract/agent-context.js';
import type { Permissions } from '../permissions.js';
import type { AgentSandbox } from '../sandbox/agent-sandbox.js';
import type { Workspace } from '../workspace.js';

export interface ToolContext {
  /** Where file tools are confined and Bash runs: the run's workspace, or the agent's worktree. */
  workspace: Workspace;
  /** The run's allow rules: which Bash commands may run. */
  permissions: Permissions;
  /** The agent's private directory outside the workspace, Bash's HOME and TMPDIR (made by Bash's first call). */
  scratchDir: string;
  /** Aborted when Temporal cancels the activity; long-running tools should stop. */
  signal?: AbortSignal;
  /** Keeps the activity alive during a long tool run (Bash, a big Grep). */
  heartbeat: () => void;
  /** What Bash's sandbox lets the agent's commands see and reach; absent: the workspace, no network. */
  sandbox?: AgentSandbox;
  /** Puts a note before the current tool call in the agent's status line (a sandbox denial). */
  annotateToolCall?: (note: string) => void;
  /** The skills the Skill tool may load (listed in the agent's first message). */
  skills?: readonly SkillFile[];
}

export interface ToolInputSchema {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  [keyword: string]: unknown;
}

// Each tool has its own input type; a list of tools holds them all, which only `any` allows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface AgentTool<Input = any> {
  /** Claude Code's name: `Read`, `Glob`, `Grep`, ... */
  name: string;
  /** Sent on every request and cached with the prefix, so it can afford to be thorough. */
  description: string;
  /** Checked before `run`; a mismatch becomes an is_error tool_result. */
  inputSchema: ToolInputSchema;
  /** Whether it only observes the workspace (lets a profile offer a read-only tool set). */
  readOnly: boolean;
  /** The text the model sees. Refusals and failures are thrown as ToolError. */
  run(input: Input, ctx: ToolContext): Promise<string>;
}
