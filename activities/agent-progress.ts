// What an agent has spent and done so far. Kept outside the loop's control flow so that a
// failed agent still reports the tokens it used: a budget must count them either way.
import type Anthropic from '@anthropic-ai/sdk';
import { addUsage, emptyUsage } from '../contract/pricing.js';
import type { AgentContextView } from '../contract/agent-context.js';
import type { AgentOutcome, TokenUsage } from '../contract/run-types.js';

const TOOL_CALL_LABEL_CHARS = 120;
const TEXT_PREVIEW_CHARS = 200;
/** Tool calls an outcome lists for `baton agent` (the newest). */
export const RECENT_TOOL_CALLS = 10;

/** What a heartbeat carries: enough to show a live agent's progress. */
export interface ProgressSnapshot {
  turns: number;
  usage: TokenUsage;
  lastToolCall: string | null;
}

/** What a cancelled attempt hands its run (AgentProgress.interrupted): read by the workflow as a partial outcome. */
export type InterruptedSpend = Pick<AgentOutcome, 'turns' | 'usage' | 'lastToolCall' | 'unreported' | 'unreportedWebSearches'>;

/** One model call's usage, as a turn report carries it. */
export interface TurnUsage {
  usage: TokenUsage;
  /** Of `usage.cacheWrite`, the tokens written to the 1-hour cache. */
  cacheWrite1h: number;
  /** Web searches the provider ran within the call (billed apart from the tokens). */
  webSearches: number;
}

export class AgentProgress {
  readonly usage: TokenUsage;
  /** What this attempt spent that no turn report has told the run yet (see AgentOutcome.unreported). */
  readonly unreported: TokenUsage = emptyUsage();
  /** Web searches of the turns in `unreported`. */
  private unreportedWebSearches = 0;
  turns = 0;
  lastToolCall: string | null = null;
  private readonly recentToolCalls: string[] = [];
  /** The call at the model now, from its message_start: billed even if it never ends. */
  private inFlight: TokenUsage | null = null;
  /** What the first message carried besides the task, once read (`baton agent` shows it). */
  context: AgentContextView | null = null;

  /** `spentBefore`: what earlier attempts of this agent spent, carried by its heartbeats. */
  constructor(spentBefore?: TokenUsage) {
    this.usage = addUsage(emptyUsage(), spentBefore ?? emptyUsage());
  }

  /** A model call has started answering: its usage so far, until recordTurn counts the whole call. */
  startTurn(usage: Anthropic.Usage): void {
    this.inFlight = tokenUsage(usage);
  }

  /** Counts one model call and its usage. */
  recordTurn(usage: Anthropic.Usage): TurnUsage {
    this.turns++;
    this.inFlight = null;
    const turn = tokenUsage(usage);
    const webSearches = usage.server_tool_use?.web_search_requests ?? 0;
    addUsage(this.usage, turn);
    addUsage(this.unreported, turn);
    this.unreportedWebSearches += webSearches;
    return { usage: turn, cacheWrite1h: usage.cache_creation?.ephemeral_1h_input_tokens ?? 0, webSearches };
  }

  /** The run has counted this turn's usage from its report. */
  acknowledge(turn: TurnUsage): void {
    const { usage } = turn;
    addUsage(this.unreported, { input: -usage.input, output: -usage.output, cacheRead: -usage.cacheRead, cacheWrite: -usage.cacheWrite });
    this.unreportedWebSearches -= turn.webSearches;
  }

  recordToolCall(name: string, input: unknown): void {
    this.lastToolCall = describeToolCall(name, input);
    this.recentToolCalls.push(this.lastToolCall);
    if (this.recentToolCalls.length > RECENT_TOOL_CALLS) this.recentToolCalls.shift();
  }

  /** Puts a note first on the newest tool call (`sandbox denied read /root/.ssh: Bash {...}`), where a status line's width shows it. */
  annotateLastToolCall(note: string): void {
    if (this.lastToolCall === null) return;
    this.lastToolCall = `${note}: ${this.lastToolCall}`;
    if (this.recentToolCalls.length > 0) this.recentToolCalls[this.recentToolCalls.length - 1] = this.lastToolCall;
  }

  snapshot(): ProgressSnapshot {
    return { turns: this.turns, usage: { ...this.usage }, lastToolCall: this.lastToolCall };
  }

  succeeded(result: unknown): AgentOutcome {
    return { status: 'succeeded', result, ...this.ending(), error: null };
  }

  /**
   * For an attempt cancelled mid-way (the run stopped it): what it spent that the run has not
   * counted, the call at the model included (its prompt; its output as far as the provider had
   * reported it), so a stopped run's totals hold every call the provider billed.
   */
  interrupted(): InterruptedSpend {
    const inFlight = this.inFlight ?? emptyUsage();
    return {
      ...this.snapshot(),
      usage: addUsage({ ...this.usage }, inFlight),
      unreported: addUsage({ ...this.unreported }, inFlight),
      unreportedWebSearches: this.unreportedWebSearches,
    };
  }

  failed(error: Error): AgentOutcome {
    return { status: 'failed', result: null, ...this.ending(), error: { type: error.name, message: error.message } };
  }

  private ending() {
    const context = this.context ? { context: this.context } : {};
    return {
      ...this.snapshot(),
      unreported: { ...this.unreported },
      unreportedWebSearches: this.unreportedWebSearches,
      recentToolCalls: [...this.recentToolCalls],
      ...context,
    };
  }
}

function tokenUsage(usage: Anthropic.Usage): TokenUsage {
  return {
    input: usage.input_tokens ?? 0,
    output: usage.output_tokens ?? 0,
    cacheRead: usage.cache_read_input_tokens ?? 0,
    cacheWrite: usage.cache_creation_input_tokens ?? 0,
  };
}

/** `Grep {"pattern":"TODO"}`, cut to fit a status line. */
export function describeToolCall(name: string, input: unknown): string {
  let args: string;
  try {
    args = JSON.stringify(input) ?? '';
  } catch {
    args = '';
  }
  const label = args && args !== '{}' ? `${name} ${args}` : name;
  return label.length > TOOL_CALL_LABEL_CHARS ? `${label.slice(0, TOOL_CALL_LABEL_CHARS - 1)}…` : label;
}

/** The start of a turn's text, for the live view; null when the turn wrote none. */
export function textPreview(message: Anthropic.Message): string | null {
  const text = message.content
    .filter((b): b is Anthropic.TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return null;
  return text.length > TEXT_PREVIEW_CHARS ? `${text.slice(0, TEXT_PREVIEW_CHARS - 1)}…` : text;
}
