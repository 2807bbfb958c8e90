// What an agent has spent and done so far. Kept outside the loop's control flow so that a
// failed agent still reports the tokens it used: a budget must count them either way.
import type Anthropic from '@anthropic-ai/sdk';
import { addUsage, emptyUsage } from '../contract/pricing.js';
import type { AgentOutcome, TokenUsage } from '../contract/run-types.js';

const TOOL_CALL_LABEL_CHARS = 120;
/** Tool calls an outcome lists for `baton agent` (the newest). */
export const RECENT_TOOL_CALLS = 10;

/** What a heartbeat carries: enough to show a live agent's progress. */
export interface ProgressSnapshot {
  turns: number;
  usage: TokenUsage;
  lastToolCall: string | null;
}

export class AgentProgress {
  readonly usage: TokenUsage;
  turns = 0;
  lastToolCall: string | null = null;
  private readonly recentToolCalls: string[] = [];

  /** `spentBefore`: what earlier attempts of this agent spent, carried by its heartbeats. */
  constructor(spentBefore?: TokenUsage) {
    this.usage = addUsage(emptyUsage(), spentBefore ?? emptyUsage());
  }

  /** Counts one model call and its usage. */
  recordTurn(usage: Anthropic.Usage): void {
    this.turns++;
    addUsage(this.usage, {
      input: usage.input_tokens ?? 0,
      output: usage.output_tokens ?? 0,
      cacheRead: usage.cache_read_input_tokens ?? 0,
      cacheWrite: usage.cache_creation_input_tokens ?? 0,
    });
  }

  recordToolCall(name: string, input: unknown): void {
    this.lastToolCall = describeToolCall(name, input);
    this.recentToolCalls.push(this.lastToolCall);
    if (this.recentToolCalls.length > RECENT_TOOL_CALLS) this.recentToolCalls.shift();
  }

  snapshot(): ProgressSnapshot {
    return { turns: this.turns, usage: { ...this.usage }, lastToolCall: this.lastToolCall };
  }

  succeeded(result: unknown): AgentOutcome {
    return { status: 'succeeded', result, ...this.snapshot(), recentToolCalls: [...this.recentToolCalls], error: null };
  }

  failed(error: Error): AgentOutcome {
    return {
      status: 'failed',
      result: null,
      ...this.snapshot(),
      recentToolCalls: [...this.recentToolCalls],
      error: { type: error.name, message: error.message },
    };
  }
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
