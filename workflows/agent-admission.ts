// Admitting an agent() call (docs/script-language.md#agent-options): its options are checked,
// the run's caps applied, its agent type and model resolved, and then it is answered by the
// call journal, refused at a ceiling, or registered as the run's next agent, in call order,
// before any waiting. Synchronous, so admitting adds no step to the commands a call issues
// (agent-runner.ts awaits only what a call has always awaited).
import { patched } from '@temporalio/workflow';
import type { AgentDefinition } from '../contract/agent-context.js';
import type { AgentView, CompiledScript, RunInput } from '../contract/run-types.js';
import { unknownOptionWarning } from '../contract/agent-options.js';
import { callKey } from '../contract/call-key.js';
import { resolveModel } from '../contract/models.js';
import { defaultLabel, parseAgentOptions, ScriptFacingError, type AgentOptions } from './agent-options.js';
import type { AgentTypes, ResolvedAgentType } from './agent-types.js';
import { failure, type CallEnvelope } from './call-envelope.js';
import type { CallJournal, CallSlot } from './call-journal.js';
import type { RunContinuation } from './continue-as-new.js';
import { dryRunAgent } from './dry-run-agent.js';
import type { RunTracker } from './run-tracker.js';
import type { Steering } from './steering.js';
import { IGNORE_UNKNOWN_AGENT_OPTIONS_PATCH } from './patches.js';

/** A call that passed its checks and is the run's agent `view`, to wait for a slot and run. */
export interface AdmittedAgent {
  view: Readonly<AgentView>;
  prompt: string;
  options: AgentOptions;
  /** Its agent type's definition (docs/agents.md), when a file gave one. */
  definition: AgentDefinition | undefined;
}

export class AgentAdmission {
  /** Unknown agent() options already warned about in the run's log: once per key. */
  private readonly warnedOptions = new Set<string>();

  constructor(
    private readonly input: RunInput,
    private readonly tracker: RunTracker,
    private readonly steering: Steering,
    private readonly journal: CallJournal,
    private readonly continuation: RunContinuation,
    private readonly agentTypes?: AgentTypes,
  ) {}

  /** The call's options, or the error it throws: a bad option, or the run's agent cap reached. */
  options(optionsJson: string): AgentOptions | CallEnvelope {
    let options: AgentOptions;
    try {
      // The patch is asked only when a call has unknown options, so other runs record no marker.
      const parsed = parseAgentOptions(optionsJson, () => !patched(IGNORE_UNKNOWN_AGENT_OPTIONS_PATCH));
      options = parsed.options;
      this.warnUnknown(parsed.unknown);
    } catch (error) {
      if (error instanceof ScriptFacingError) return failure(error);
      throw error;
    }
    const { maxAgents } = this.input.options;
    if (this.tracker.agentsStarted >= maxAgents) {
      return failure(
        new ScriptFacingError(
          'AgentLimitError',
          `This run may start at most ${maxAgents} agents and has started them all. ` +
            `Raise the cap with --max-agents N (e.g. --max-agents ${maxAgents * 2}).`,
        ),
      );
    }
    return options;
  }

  /** A custom type's file may set the model; resolved without waiting once the run read its types. */
  agentType(options: AgentOptions): ResolvedAgentType | null | Promise<ResolvedAgentType | null> {
    return options.agentType && this.agentTypes ? this.agentTypes.resolve(options.agentType) : null;
  }

  /**
   * The call, made by `script` (the run's own or a nested workflow's), as the run's next agent;
   * or what it resolves to without running: the journal's answer, a ceiling's error, an unknown
   * type's null, a dry run's placeholder.
   */
  admit(prompt: string, options: AgentOptions, agentType: ResolvedAgentType | null, slot: CallSlot, script: CompiledScript): AdmittedAgent | CallEnvelope {
    const definition = agentType && 'definition' in agentType ? agentType.definition : undefined;
    // The id, label, phase and model are fixed now, in call order, before any waiting.
    const phase = options.phase ?? this.tracker.phase;
    const fields = {
      label: options.label ?? defaultLabel(prompt),
      phase,
      model: this.resolveModel(options, phase, script, definition),
      ...(script === this.input.script ? {} : { workflow: script.meta.name }),
    };
    const { spending } = this.tracker;
    // docs/configuration.md#models-and-prices: a cost ceiling cannot hold over a model without a price.
    if (spending.ceilings.maxCostUsd !== null && !spending.isPriced(fields.model)) {
      return failure(
        new ScriptFacingError(
          'Error',
          `agent() model "${fields.model}" has no price, so --max-cost cannot hold; add one under models.prices in the config file.`,
        ),
      );
    }
    // docs/runs.md#resuming-an-edited-script: a call answered by the journal (resumed or carried over) runs no activity.
    const call = { ...options, prompt, model: fields.model };
    const key = callKey(call);
    const reused = this.journal.reuse(key, fields, this.tracker, call);
    if (reused) return reused;
    // After the journal: a carried-over or cached call answers as before, whatever the spend.
    const overBudget = spending.exceeded();
    if (overBudget && spending.mode === 'stop') return failure(overBudget);
    // With `--on-budget pause` the call waits for a raise, in the gate's order (steering.beforeStart).
    if (overBudget) spending.hold(overBudget);
    const view = this.tracker.addAgent(fields, prompt);
    this.journal.open(slot, key, view, call);
    this.steering.noteAgent(view);
    // Claude Code's behaviour for an unknown `agentType`: that agent fails (a `null` in the script), listing the types there are.
    if (agentType && 'unknown' in agentType) {
      this.tracker.endAgent(view, 'failed', { error: `UnknownAgentType: ${agentType.unknown}` });
      return { ok: true, value: null };
    }
    if (this.input.options.dryRun) return dryRunAgent(this.tracker, view, options);
    return { view, prompt, options, definition };
  }

  /** Claude Code ignores options it does not know; the run's log says so, once per key. */
  private warnUnknown(keys: string[]): void {
    for (const key of keys) {
      if (this.warnedOptions.has(key)) continue;
      this.warnedOptions.add(key);
      this.continuation.log(`warning: ${unknownOptionWarning(key)}`);
    }
  }

  /** docs/script-language.md#agent-options precedence: the agent's own model, then its agent file's (docs/agents.md), then its phase's, then the run's default. */
  private resolveModel(options: AgentOptions, phase: string | null, script: CompiledScript, definition?: AgentDefinition): string {
    const phaseModel = script.meta.phases?.find((p) => p.title === phase)?.model;
    const { model, modelTable } = this.input.options;
    return resolveModel(options.model ?? definition?.model ?? phaseModel ?? model, modelTable);
  }
}
