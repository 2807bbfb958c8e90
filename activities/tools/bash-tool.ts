// Bash: a shell command in the workspace, if the run's allow rules permit every part of it.
// It is offered even when the run allows no commands, so the tool list (and the prompt-cache
// prefix) is the same for every run and a refused call tells the model, and the user reading
// the result, which rule would allow it.
import { ToolError } from '../agent-errors.js';
import { bashEnvironment, ensureScratchDir } from './bash-environment.js';
import { AgentSandbox } from '../sandbox/agent-sandbox.js';
import { denialLabel, denialMessage } from '../sandbox/sandbox-denials.js';
import { prepareCommand } from '../sandbox/sandboxed-command.js';
import { runShell, type ShellResult } from './shell-process.js';
import type { AgentTool } from './tool.js';

export const BASH_DEFAULT_TIMEOUT_MS = 120_000;
export const BASH_MAX_TIMEOUT_MS = 600_000;
// Claude Code's cap: enough for a failing test's report, small enough not to flood the context.
export const BASH_MAX_OUTPUT_CHARS = 30_000;

interface BashInput {
  command: string;
  timeout?: number;
  description?: string;
}

export const bashTool: AgentTool<BashInput> = {
  name: 'Bash',
  readOnly: false,
  description: `Executes a bash command in the workspace and returns its output.

Permissions:
- This is an unattended run: only commands that match the run's allow rules (Claude Code permission rules such as Bash(npm test:*)) are executed. Any other command is refused with an error that names the rule that would allow it; nobody is asked.
- A compound command (joined with &&, ||, ;, |, or containing $(...) or backticks) runs only if every command in it is allowed, so prefer plain single commands.
- When a command is refused, do not try to get around the refusal with a different spelling. Use the dedicated tools instead, or finish and say in your answer which command you needed.

Usage:
- Every command starts in the workspace root with a fresh shell: cd, exported variables and shell state do not carry over to the next call. Use paths relative to the workspace root.
- Always quote file paths that contain spaces with double quotes (e.g. cd "path with spaces/file.txt").
- Commands run without a terminal and with stdin closed: do not run interactive programs, editors or anything that waits for input; pass non-interactive flags (e.g. --yes) where a tool would prompt.
- The environment is minimal: PATH, a locale, and a private HOME and TMPDIR. API keys and other credentials of the machine are not available.
- Commands run in a sandbox: they read and write the workspace and TMPDIR, read the system (/usr, /etc, toolchains), and see nothing else of the machine (no home directories, no other processes). There is no network unless the run allows hosts (--allow-net); allowed hosts are reached through HTTP_PROXY. A refused file or host is reported as "Sandbox denied".
- timeout is in milliseconds: ${BASH_DEFAULT_TIMEOUT_MS} (2 minutes) by default, at most ${BASH_MAX_TIMEOUT_MS} (10 minutes). A command that runs longer is killed together with every process it started.
- Background processes (cmd &) are stopped when the command returns; start and use a server within one command if you need one.
- stdout and stderr are returned together, interleaved as they were printed. Output beyond ${BASH_MAX_OUTPUT_CHARS} characters is truncated in the middle, keeping the beginning and the end.
- A non-zero exit status is reported as an error that starts with "Exit code N".
- Avoid using Bash for what the other tools do better: use Glob instead of find or ls to find files, Grep instead of grep or rg to search contents, Read instead of cat, head or tail to read files, Edit instead of sed or awk to change files, and Write instead of echo or cat with redirection to create files. Those tools are always allowed and their output is formatted for you.
- When several independent commands are needed, make several Bash calls in the same turn rather than chaining them.`,
  inputSchema: {
    type: 'object',
    properties: {
      command: { type: 'string', minLength: 1, description: 'The command to execute' },
      timeout: {
        type: 'integer',
        minimum: 1,
        maximum: BASH_MAX_TIMEOUT_MS,
        description: `Optional timeout in milliseconds (max ${BASH_MAX_TIMEOUT_MS})`,
      },
      description: {
        type: 'string',
        description:
          "Clear, concise description of what this command does in 5-10 words, in active voice. Examples: 'Run the unit tests', 'Show unstaged changes'",
      },
    },
    required: ['command'],
  },

  async run(input, ctx) {
    const verdict = ctx.permissions.checkBash(input.command);
    if (!verdict.allowed) throw new ToolError(verdict.message);
    const timeoutMs = input.timeout ?? BASH_DEFAULT_TIMEOUT_MS;
    await ensureScratchDir(ctx.scratchDir);
    const sandbox = ctx.sandbox ?? new AgentSandbox(ctx.workspace.root);
    const prepared = await prepareCommand(input.command, sandbox, ctx.workspace.root, ctx.scratchDir, bashEnvironment(ctx.scratchDir));
    if (prepared.unconfined) ctx.annotateToolCall?.(prepared.unconfined);
    let result: ShellResult;
    try {
      result = await runShell(input.command, {
        cwd: ctx.workspace.root,
        env: prepared.env,
        timeoutMs,
        maxOutputChars: BASH_MAX_OUTPUT_CHARS,
        signal: ctx.signal,
        heartbeat: ctx.heartbeat,
        spawnAs: { file: prepared.file, args: prepared.args },
      });
    } finally {
      await prepared.close();
    }
    ctx.signal?.throwIfAborted();
    const denials = prepared.denials(result.output);
    // The user sees it in the agent's tool-call line; the model gets it as an error, below.
    if (denials.length > 0) ctx.annotateToolCall?.(denialLabel(denials));
    const denied = denials.length > 0 ? `\n\n${denialMessage(denials)}` : '';
    const output = result.output.replace(/\s+$/, '');
    if (result.timedOut) {
      throw new ToolError(
        `Command timed out after ${timeoutMs} ms and was killed, with every process it started. ` +
          `Pass a larger timeout (at most ${BASH_MAX_TIMEOUT_MS}) or run less at once.${output ? `\nOutput before the timeout:\n${output}` : ''}`,
      );
    }
    if (result.signal) throw new ToolError(`Killed by signal ${result.signal}${output ? `\n${output}` : ''}`);
    if (result.exitCode !== 0) throw new ToolError(`Exit code ${result.exitCode}${output ? `\n${output}` : ''}${denied}`);
    if (denied) throw new ToolError(`Exit code 0, but the sandbox refused part of what the command did${output ? `\n${output}` : ''}${denied}`);
    return output;
  },
};
