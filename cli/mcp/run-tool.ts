// `baton_run`: Claude Code's Workflow tool input (`script`, `name`, `scriptPath`, `args`,
// `resumeFromRunId`) plus Baton's run options. It compiles, starts the run and answers at once
// with the workflow id and the approval card: a run takes minutes to hours, longer than any
// tool call should hold the conversation, so the caller follows it with baton_status.
import { resolve } from 'node:path';
import { z } from 'zod';
import { compileScript, compileScriptFile, formatDiagnostic, type CompileResult } from '../../compiler/index.js';
import { loadSettings } from '../../config/settings.js';
import { temporalConnectConfig } from '../../config/temporal.js';
import type { RunInput } from '../../contract/run-types.js';
import { fetchResumeSource } from '../../client/resume-source.js';
import { startRun } from '../../client/start-run.js';
import { approvalCard } from '../approval-card.js';
import { argsWarning } from '../args-warning.js';
import { CliError, EXIT } from '../exit-codes.js';
import { addNotifyTargets } from '../notify-targets-of.js';
import { parseRunFlags, refuseUnpricedModels, runOptionsFrom } from '../run-flags.js';
import { resolveScriptArgument, workflowPlacesHere } from '../script-argument.js';
import { uiLink } from '../ui-link.js';
import type { ClientHolder } from './client-holder.js';
import { runAnswer } from './tool-answers.js';
import { toolOk } from './tool-result.js';

export const runToolInput = {
  script: z.string().optional().describe('The workflow script itself (JavaScript, `export const meta = {...}` first). Give this, scriptPath, or name.'),
  name: z
    .string()
    .optional()
    .describe("A saved workflow's name (.claude/workflows/, ~/.claude/workflows/, or built-in). With `script`, only names the script in messages."),
  scriptPath: z.string().optional().describe('A script file to run, relative to the working directory.'),
  args: z.unknown().optional().describe("The script's `args`, passed verbatim: pass an object, not a string of JSON."),
  resumeFromRunId: z.string().optional().describe('An ended run whose unchanged agent() calls are reused (its args too, unless new ones are given).'),
  model: z.string().optional().describe("Default model: 'opus', 'sonnet', 'haiku' or a model id."),
  concurrency: z.number().int().optional().describe('Agents at once, 1..256 (default 16).'),
  maxAgents: z.number().int().optional().describe('Agents per run (default 1000).'),
  budgetTokens: z.number().int().optional().describe('Output-token ceiling for the run.'),
  maxCost: z.number().optional().describe('Cost ceiling in US dollars.'),
  allow: z.array(z.string()).optional().describe("Bash commands agents may run, Claude Code rules like 'Bash(npm test:*)'."),
  allowNet: z.array(z.string()).optional().describe("HOST[:PORT] agents' Bash commands may reach through the sandbox."),
  workspace: z.string().optional().describe('Directory the agents work in (default: the working directory of `baton mcp`).'),
  repo: z.string().optional().describe('A git remote the agents work on instead of a workspace; editing agents push branches.'),
  ref: z.string().optional().describe('With repo: the branch, tag or commit to pin.'),
  autoApprove: z.boolean().optional().describe('Answer every approve() in the script with yes at once.'),
};

type RunToolInput = { [K in keyof typeof runToolInput]: z.infer<(typeof runToolInput)[K]> };

export async function runTool(input: RunToolInput, clients: ClientHolder, cwd = process.cwd()) {
  const settings = loadSettings();
  const { script, warnings } = await compileFor(input, cwd);
  const { script: _s, name: _n, scriptPath: _p, args, resumeFromRunId, ...options } = input;
  const flags = parseRunFlags(Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)));
  const run: RunInput = { script, args, options: runOptionsFrom(flags, settings, cwd) };
  refuseUnpricedModels(script, run.options);
  const client = await clients.get();
  if (resumeFromRunId !== undefined) {
    const source = await fetchResumeSource(client, resumeFromRunId, 'prefix');
    run.resume = source.resume;
    if (run.args === undefined && 'args' in source) run.args = source.args;
  }
  await addNotifyTargets(run.options, undefined, settings);
  const argsProblem = argsWarning(run.args);
  if (argsProblem) warnings.push(argsProblem);

  const card = approvalCard(run);
  const started = await startRun(client, run, settings.taskQueue);
  const uiUrl = uiLink(temporalConnectConfig(), started.workflowId);
  const text = [
    `started ${started.workflowId}${uiUrl ? ` · ${uiUrl}` : ''}`,
    card,
    ...warnings.map((warning) => `warning: ${warning}`),
    `Follow it with baton_status { run: "${started.workflowId}" }; its result with baton_result once it has ended.`,
  ].join('\n');
  return toolOk(text, runAnswer, { ...started, status: 'running', card, warnings, uiUrl });
}

/** The script to run: inline, a file, or a saved workflow; compile errors as `file:line:column: message`. */
async function compileFor(input: RunToolInput, cwd: string) {
  // With `script`, `name` only names it; without, it is one of the two ways to point at a file.
  const given = input.script !== undefined ? (input.scriptPath === undefined ? 1 : 2) : [input.scriptPath, input.name].filter((s) => s !== undefined).length;
  if (given !== 1) throw new CliError('baton_run takes one of: script (the source), scriptPath (a file), or name (a saved workflow).', EXIT.usage);
  let result: CompileResult;
  if (input.script !== undefined) {
    result = await compileScript(`${input.name ?? 'workflow'}.js`, input.script);
  } else {
    const { path } = resolveScriptArgument(input.scriptPath ?? input.name!, workflowPlacesHere(process.env, cwd));
    result = await compileScriptFile(resolve(cwd, path));
  }
  const warnings = result.warnings.map((warning) => formatDiagnostic(warning));
  if (!result.ok) throw new CliError(`The script does not compile:\n${result.errors.map(formatDiagnostic).join('\n')}`, EXIT.usage);
  return { script: result.script, warnings };
}
