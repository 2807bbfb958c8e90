import { createInterface } from 'node:readline/promises';
import { resolveModel } from '../contract/models.js';
import type { ResumeFrom } from '../contract/call-journal.js';
import type { RunInput } from '../contract/run-types.js';
import { CliError, EXIT } from './exit-codes.js';
import { argsWarning } from './args-warning.js';
import { cardAgentTypes } from './agent-types-lines.js';
import type { Ceiling } from './unattended-ceiling.js';

/**
 * The card shown before a run starts, like Claude Code's workflow permission prompt. `projection`
 * is the dry run's fan-out and cost range (cli/dry-run.ts projectionLine), when one was made.
 */
export function approvalCard(input: RunInput, ceiling?: Ceiling, projection?: string): string {
  const { meta } = input.script;
  const o = input.options;
  const phases = meta.phases?.length ? meta.phases.map((p) => (p.model ? `${p.title} (${p.model})` : p.title)).join(' → ') : '(none declared)';
  const budget = [o.budgetTokens !== null ? `${o.budgetTokens} output tokens` : null, o.maxCostUsd !== null ? `$${o.maxCostUsd}` : null].filter(Boolean);
  return [
    `┌ ${meta.name}: ${meta.description}`,
    ...(meta.whenToUse ? [`│ when to use: ${meta.whenToUse}`] : []),
    `│ phases:      ${phases}`,
    `│ workspace:   ${o.workspace}`,
    `│ model:       ${o.model} (${resolveModel(o.model, o.modelTable)}) · ${o.concurrency} at once · up to ${o.maxAgents} agents`,
    `│ budget:      ${ceiling?.text ?? (budget.length ? budget.join(', ') : 'none (--budget-tokens, --max-cost)')}`,
    ...(projection ? [`│ projected:   ${projection}`] : []),
    `│ bash allow:  ${o.allow.length ? o.allow.join(' ') : 'none (agents cannot run shell commands)'}`,
    ...(o.allowNet?.length ? [`│ bash net:    ${o.allowNet.join(' ')} (only these, through the sandbox)`] : []),
    ...agentTypesLine(input),
    ...(input.resume ? [`│ resume:      ${resumeLine(input.resume)}`] : []),
    ...approvalsLine(input),
    ...argsLine(input),
    ...warningLines(input),
    `└ ! Workflows can use substantially more tokens than a single session: every agent has its own context.`,
  ].join('\n');
}

/** The compiler's warnings (an ignored agent() option, a meta.name that gets a slug), at most a few. */
function warningLines(input: RunInput): string[] {
  const warnings = input.script.warnings ?? [];
  const shown = warnings.slice(0, 5).map((warning, i) => `│ ${i === 0 ? '! warnings:  ' : '             '}${input.script.fileName}:${warning}`);
  if (warnings.length > shown.length) shown.push(`│              and ${warnings.length - shown.length} more: baton check ${input.script.fileName}`);
  return shown;
}

/** docs/agents.md#agent-types: which files the script's agent types come from. */
function agentTypesLine(input: RunInput): string[] {
  const line = cardAgentTypes(input);
  return line ? [`│ agent types: ${line}`] : [];
}

function argsLine(input: RunInput): string[] {
  const warning = argsWarning(input.args);
  return warning ? [`│ ! args:      ${warning}`] : [];
}

/** A script that calls approve() waits for a person (docs/runs.md#approvals); --yes does not answer for them. */
function approvalsLine(input: RunInput): string[] {
  if (!/\bapprove\s*\(/.test(input.script.program)) return [];
  if (input.options.autoApprove) return ['│ approvals:   --auto-approve: every approve() is answered yes at once'];
  return ["│ approvals:   the script may wait at approve() for a person: 'baton approve RUN [--reject]' answers"];
}

function resumeLine(resume: ResumeFrom): string {
  const reusable = resume.entries.filter((entry) => entry.state === 'succeeded' || entry.state === 'cached').length;
  const how = resume.mode === 'any' ? 'any unchanged call' : 'the unchanged calls from the start';
  return `from ${resume.fromRunId}: ${reusable} agent result${reusable === 1 ? '' : 's'} to reuse (${how})`;
}

/** Asks for approval on a terminal; refuses, rather than blocks, where nobody can answer. */
export async function confirmRun(input: RunInput, ceiling?: Ceiling, projection?: string): Promise<void> {
  process.stderr.write(`${approvalCard(input, ceiling, projection)}\n`);
  if (!process.stdin.isTTY) {
    throw new CliError('Not starting: approval needs a terminal. Review the card above and pass --yes to start without asking.', EXIT.usage);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question('Start this run? [y/N] ');
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Not started.', EXIT.otherEnd);
}
