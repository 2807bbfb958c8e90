// Steering a run from outside (docs/runs.md#steering-and-watching): pause and resume the start of new agents, stop the
// run, stop or restart one agent, raise its ceilings. Requests become state changes through the run's tracker (run-tracker.ts), the one
// writer of its state; what is kept here is how to act on them: each agent's activity runs in
// its own CancellationScope, so one agent can be cancelled without the others. All requests
// arrive as updates, which history records, so a replay takes the same path; a run never
// steered issues exactly the commands it issued before steering existed.
import { ApplicationFailure, CancellationScope, condition, isCancellation, setHandler } from '@temporalio/workflow';
import { agentCancellation } from './agent-cancellation.js';
import { partialOf, uncounted } from './partial-outcome.js';
import type { AgentOutcome, AgentView, ScriptErrorInfo, SteeringAnswer } from '../contract/run-types.js';
import { ScriptFacingError } from './agent-options.js';
import type { RunTracker } from './run-tracker.js';
import { pauseRunUpdate, raiseBudgetUpdate, restartAgentUpdate, resumeRunUpdate, stopAgentUpdate, stopRunUpdate } from '../contract/run-messages.js';

const STOPPED_WHILE_RUNNING = 'stopped by request (baton agent stop) while running';

/** Thrown by Steering.run when a user stopped the agent: its agent() call resolves to null. */
export class AgentStoppedByUser extends Error {
  override name = 'AgentStoppedByUser';
  constructor(
    message: string,
    /** What the stopped attempt spent that no turn report brought (partial-outcome.ts), if it said. */
    readonly spent: Partial<AgentOutcome> | null,
  ) {
    super(message);
  }
}

/** Why an agent that was about to start does not: resolves to null (`error` null) or rejects. */
export interface StartRefusal {
  reason: string;
  error: ScriptFacingError | null;
}

interface AgentControl {
  view: Readonly<AgentView>;
  /** The scope of the attempt in flight, while the agent runs. */
  scope: CancellationScope | null;
  request: 'stop' | 'restart' | null;
}

export class Steering {
  private readonly agents = new Map<string, AgentControl>();

  constructor(private readonly tracker: RunTracker) {
    // `baton budget`: the ledger checks the new ceilings and applies them.
    setHandler(raiseBudgetUpdate, (raise) => this.tracker.spending.raise(raise), { validator: (raise) => this.tracker.spending.checkRaise(raise) });
    setHandler(pauseRunUpdate, () => this.pause(), { validator: () => this.checkPause() });
    setHandler(resumeRunUpdate, () => this.resume(), {
      validator: () => {
        if (this.tracker.pausedByRequest) return;
        if (this.tracker.spending.held)
          throw new Error(`the run is held at its budget ceiling; raise it with baton budget RUN --max-cost USD or --budget-tokens N.`);
        throw new Error(`the run is not paused (it is ${this.tracker.overview().status}).`);
      },
    });
    setHandler(stopRunUpdate, () => this.stop(), {
      validator: () => {
        if (this.stopped) throw new Error('the run is already stopping.');
      },
    });
    setHandler(stopAgentUpdate, (id) => this.stopAgent(id), { validator: (id) => void this.steerable(id, ['pending', 'running']) });
    setHandler(restartAgentUpdate, (id) => this.restartAgent(id), { validator: (id) => void this.steerable(id, ['running']) });
  }

  /** True once `baton stop` was accepted: the run ends `stopped` whatever the script does next. */
  get stopRequested(): boolean {
    return this.tracker.stopRequested;
  }

  private get stopped(): boolean {
    return this.tracker.stopRequested;
  }

  /** True while no agent may start or take another turn: a pause, or a ceiling with `--on-budget pause`. */
  get holding(): boolean {
    return this.tracker.pausedByRequest || this.tracker.spending.held;
  }

  /** A new live agent, which `baton agent stop|restart` may steer. */
  noteAgent(view: Readonly<AgentView>): void {
    this.agents.set(view.id, { view, scope: null, request: null });
  }

  /**
   * Called when an agent holds a slot and is about to start: waits while the run is paused;
   * null to go ahead, or why it must not start.
   */
  async beforeStart(view: Readonly<AgentView>): Promise<StartRefusal | null> {
    // Only a paused run awaits anything, so unsteered runs replay with the same commands.
    if (this.holding && this.refusal(view) === null) {
      try {
        await condition(() => !this.holding || this.refusal(view) !== null);
      } catch (error) {
        if (!isCancellation(error)) throw error;
        return {
          reason: 'stopped: the run was cancelled',
          error: new ScriptFacingError('RunStoppedError', `The run was stopped before agent ${view.id} started.`),
        };
      }
    }
    return this.refusal(view);
  }

  /**
   * Runs one agent's activity in its own cancellable scope, again from scratch after each
   * restart. Throws AgentStoppedByUser after `baton agent stop`; a cancellation of the whole
   * run passes through unchanged.
   */
  async run(view: Readonly<AgentView>, attempt: () => Promise<AgentOutcome>): Promise<AgentOutcome> {
    const control = this.agents.get(view.id);
    if (!control) return attempt();
    for (;;) {
      const scope = new CancellationScope({ cancellable: true });
      control.scope = scope;
      try {
        const outcome = await scope.run(attempt);
        // A cancelled attempt may still end on its own before it hears of the cancellation (the
        // run waits for it): the stop or restart asked for holds all the same.
        const cancellation = this.cancellation(scope, control);
        if (cancellation === 'restart') {
          this.restarted(view, control, outcome);
          continue;
        }
        if (cancellation === 'agent-stop') throw new AgentStoppedByUser(STOPPED_WHILE_RUNNING, outcome);
        return outcome;
      } catch (error) {
        if (error instanceof AgentStoppedByUser) throw error;
        const cancellation = this.cancellation(scope, control, error);
        if (cancellation === 'restart') {
          this.restarted(view, control, partialOf(error));
          continue;
        }
        // The cancellation (or the failure it turned into) carries what the attempt spent.
        if (cancellation === 'agent-stop') throw new AgentStoppedByUser(STOPPED_WHILE_RUNNING, partialOf(error));
        throw error;
      } finally {
        control.scope = null;
        control.request = null;
      }
    }
  }

  /** Whether this attempt was cancelled for the agent alone; the run's own stops pass through to the agent's execution. */
  private cancellation(scope: CancellationScope, control: AgentControl, thrown?: unknown): 'restart' | 'agent-stop' | null {
    const cancellation = agentCancellation({
      thrown,
      scopeCancelled: scope.consideredCancelled,
      runStopping: this.stopped,
      request: control.request,
      budgetReached: false,
    });
    return cancellation === 'restart' || cancellation === 'agent-stop' ? cancellation : null;
  }

  /** Why the agent may not make another model call: a stop or restart asked for it; null if neither. */
  requestFor(agentId: string): string | null {
    const request = this.agents.get(agentId)?.request;
    return request ? `the agent is being ${request === 'stop' ? 'stopped' : 'restarted'} by request` : null;
  }

  /** A restarted attempt's spend (the call then at the model included) counts once; the agent starts over. */
  private restarted(view: Readonly<AgentView>, control: AgentControl, spent: Partial<AgentOutcome> | null): void {
    control.request = null;
    this.tracker.restartAgent(view, uncounted(spent));
  }

  /** The failure a stopped run ends with: status `stopped`, the partial report in its details. */
  stoppedFailure(end: { result?: unknown; error?: ScriptErrorInfo }): ApplicationFailure {
    const error = end.error ?? { type: 'RunStoppedError', message: 'the run was stopped by request (baton stop)', line: null, column: null };
    const report = this.tracker.finish('stopped', { result: end.result, error });
    return ApplicationFailure.create({
      type: 'RunStopped',
      message: `${report.name}: stopped by request: ${report.agents.succeeded} agents had succeeded, ${report.agents.stopped} were stopped`,
      nonRetryable: true,
      details: [report],
    });
  }

  private refusal(view: Readonly<AgentView>): StartRefusal | null {
    if (this.stopped) {
      return {
        reason: 'stopped: the run was stopped',
        error: new ScriptFacingError('RunStoppedError', `The run was stopped before agent ${view.id} started.`),
      };
    }
    if (this.agents.get(view.id)?.request === 'stop') return { reason: 'stopped by request (baton agent stop) before it started', error: null };
    return null;
  }

  private checkPause(): void {
    if (this.stopped) throw new Error('the run is stopping.');
    if (this.tracker.pausedByRequest) throw new Error('the run is already paused.');
  }

  private pause(): SteeringAnswer {
    this.tracker.setPaused(true);
    const running = [...this.agents.values()].filter((c) => c.view.state === 'running').length;
    return { status: 'paused', message: `paused: ${running} running agent(s) finish, no new agent starts until resumed` };
  }

  private resume(): SteeringAnswer {
    this.tracker.setPaused(false);
    return { status: 'running', message: 'resumed: agents start again' };
  }

  private stop(): SteeringAnswer {
    let cancelled = 0;
    for (const control of this.agents.values()) {
      if (!control.scope) continue;
      control.scope.cancel();
      cancelled++;
    }
    // After the cancellations, so the commands they issue come before the report's refresh.
    this.tracker.requestStop();
    return { status: 'stopped', message: `stopping: ${cancelled} running agent(s) cancelled; agents not yet started will not start` };
  }

  private stopAgent(id: string): SteeringAnswer {
    const control = this.steerable(id, ['pending', 'running']);
    control.request = 'stop';
    const wasRunning = control.scope !== null;
    control.scope?.cancel();
    return { status: this.tracker.overview().status, message: `${id} ${wasRunning ? 'cancelled' : 'will not start'}; its agent() call resolves to null` };
  }

  private restartAgent(id: string): SteeringAnswer {
    const control = this.steerable(id, ['running']);
    control.request = 'restart';
    control.scope?.cancel();
    return { status: this.tracker.overview().status, message: `${id} cancelled and starting again from scratch` };
  }

  /** The agent's control, if it may be steered now; else an error the update's caller sees. */
  private steerable(id: string, states: Array<AgentView['state']>): AgentControl {
    if (this.stopped) throw new Error('the run is stopping.');
    const control = this.agents.get(id);
    if (!control) {
      const agents = this.tracker.report().agentList;
      const known = agents.find((a) => a.id === id);
      if (known) throw new Error(`agent ${id} is ${known.state}; only a ${states.join(' or ')} agent can be steered this way.`);
      throw new Error(`this run has no agent ${id} (it has ${agents.length}${agents.length ? `: a1..a${agents.length}` : ''}).`);
    }
    const state = control.view.state;
    if (!states.includes(state)) throw new Error(`agent ${id} is ${state}; only a ${states.join(' or ')} agent can be steered this way.`);
    if (states.length === 1 && states[0] === 'running' && !control.scope) throw new Error(`agent ${id} is not running an attempt now.`);
    return control;
  }
}
