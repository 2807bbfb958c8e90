// The host side of agent(): admits the call (agent-admission.ts), waits for a slot in the
// concurrency gate (agent-slot.ts), runs the agent activity (agent-execution.ts) and reports the
// outcome back to the script as a JSON envelope (`{ ok: true, value }` or
// `{ ok: false, error: { name, message } }`, see call-envelope.ts). Every await of a call is in
// run() below, where it has always been: the parts decide synchronously, so the commands a call
// issues, and their order among other calls', are what recorded histories hold.
import type { CompiledScript, RunInput } from '../contract/run-types.js';
import { AgentAdmission } from './agent-admission.js';
import { AgentExecution } from './agent-execution.js';
import { AgentSlot } from './agent-slot.js';
import type { AgentTypes } from './agent-types.js';
import type { CallEnvelope } from './call-envelope.js';
import type { CallJournal, CallSlot } from './call-journal.js';
import type { ConcurrencyGate } from './concurrency-gate.js';
import type { RunContinuation } from './continue-as-new.js';
import type { RunTracker } from './run-tracker.js';
import type { Steering } from './steering.js';

export class AgentRunner {
  private readonly admission: AgentAdmission;
  private readonly slot: AgentSlot;
  private readonly execution: AgentExecution;

  constructor(
    private readonly input: RunInput,
    runId: string,
    tracker: RunTracker,
    private readonly gate: ConcurrencyGate,
    private readonly steering: Steering,
    private readonly journal: CallJournal,
    private readonly continuation: RunContinuation,
    agentTypes?: AgentTypes,
  ) {
    this.execution = new AgentExecution(input, runId, tracker, steering);
    this.admission = new AgentAdmission(input, tracker, steering, journal, continuation, agentTypes);
    this.slot = new AgentSlot(tracker);
  }

  /** Claude Code's script-visible semantics (claude-code-semantics.ts), for the prelude too. */
  get claudeCodeSemantics(): boolean {
    return this.execution.claudeCodeSemantics;
  }

  /** Before the run ends: no agent outlives it, and what each spent is in its report. */
  settle(): Promise<void> {
    return this.execution.settle();
  }

  /**
   * One agent() call, made by `script`: the run's own, or a nested workflow's (docs/script-language.md#globals
   * `workflow()`), whose phases give its agents' models and whose name they show under.
   * Resolves with the envelope JSON; rejects only on an interpreter bug.
   */
  async call(prompt: string, optionsJson: string, script: CompiledScript = this.input.script): Promise<string> {
    const slot: CallSlot = {};
    const envelope = await this.run(prompt, optionsJson, slot, script);
    this.journal.record(slot, envelope);
    return JSON.stringify(envelope);
  }

  private async run(prompt: string, optionsJson: string, slot: CallSlot, script: CompiledScript): Promise<CallEnvelope> {
    // 1. Admitting: checked, typed, answered by the journal or refused, else the run's next agent.
    const options = this.admission.options(optionsJson);
    if ('ok' in options) return options;
    const pending = this.admission.agentType(options);
    const admitted = this.admission.admit(prompt, options, pending instanceof Promise ? await pending : pending, slot, script);
    if ('ok' in admitted) return admitted;
    const { view } = admitted;
    // 2. Waiting for a slot, and the reasons it may still not start.
    const release = await this.gate.acquire();
    try {
      const hold = this.slot.providerHold();
      if (hold) {
        try {
          await hold;
        } catch (error) {
          return this.slot.heldAndCancelled(view, error);
        }
      }
      // docs/runs.md#steering-and-watching: a paused run holds agents here; a stopped run or agent never starts.
      const refused = this.slot.refused(view, await this.steering.beforeStart(view));
      if (refused) return refused;
      // Continuing as new: this agent starts in the next run, which reissues the call.
      if (this.continuation.holding) return await this.continuation.park(view, release);
      const late = this.slot.tooLate(view, this.execution.ending);
      if (late) return late;
      // 3. Running.
      return await this.execution.start(view, prompt, admitted.options, admitted.definition, slot);
    } finally {
      release();
    }
  }
}
