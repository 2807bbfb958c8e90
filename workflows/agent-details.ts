// What `baton agent RUN ID` shows of one agent beyond its line in the report: its whole prompt,
// its result, its latest tool calls and text (docs/runs.md#steering-and-watching). Owned by the
// run's tracker (run-tracker.ts), which notes each live agent; the agent's execution
// (agent-execution.ts) notes its turns and how it ended.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { AgentDetail, AgentOutcome, AgentView, TurnReport } from '../contract/run-types.js';

/** Tool calls `baton agent` lists (the newest), as the activity keeps them. */
const RECENT_TOOL_CALLS = 10;

interface Detail {
  view: AgentView;
  prompt: string;
  result: unknown;
  recentToolCalls: string[];
  lastText: string | null;
}

export class AgentDetails {
  private readonly byId = new Map<string, Detail>();

  /** A live agent() call: its whole prompt is kept here. */
  note(view: AgentView, prompt: string): void {
    this.byId.set(view.id, { view, prompt, result: null, recentToolCalls: [], lastText: null });
  }

  /** A running agent's turn: its tool calls and text as they happen. */
  noteTurn(report: TurnReport): void {
    const detail = this.byId.get(report.agentId);
    if (!detail) return;
    detail.recentToolCalls.push(...report.toolCalls);
    detail.recentToolCalls.splice(0, Math.max(0, detail.recentToolCalls.length - RECENT_TOOL_CALLS));
    if (report.text !== null) detail.lastText = report.text;
  }

  /** The agent's activity returned `outcome`. */
  noteOutcome(agentId: string, outcome: AgentOutcome): void {
    const detail = this.byId.get(agentId);
    if (!detail) return;
    detail.result = outcome.status === 'succeeded' ? (outcome.result ?? null) : null;
    detail.recentToolCalls = outcome.recentToolCalls ?? (outcome.lastToolCall ? [outcome.lastToolCall] : []);
  }

  /** The agent's activity failed or was cancelled: the tool calls its partial outcome carries, if any. */
  noteFailure(agentId: string, error: unknown): void {
    const detail = this.byId.get(agentId);
    if (detail) detail.recentToolCalls = recentToolCallsOf(error) ?? detail.recentToolCalls;
  }

  /** The detail of a live agent, or null: an agent the journal answered ran no activity here. */
  detail(agentId: string): AgentDetail | null {
    const detail = this.byId.get(agentId);
    if (!detail) return null;
    const agent = { ...detail.view, tokens: { ...detail.view.tokens } };
    return { agent, prompt: detail.prompt, result: detail.result, recentToolCalls: [...detail.recentToolCalls], lastText: detail.lastText };
  }
}

/** The tool calls a terminal activity failure carries in its partial outcome, if any. */
function recentToolCallsOf(error: unknown): string[] | null {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return null;
  const partial = error.cause.details?.[0] as Partial<AgentOutcome> | undefined;
  if (!partial || typeof partial !== 'object') return null;
  if (Array.isArray(partial.recentToolCalls)) return partial.recentToolCalls.filter((call): call is string => typeof call === 'string');
  return typeof partial.lastToolCall === 'string' ? [partial.lastToolCall] : null;
}
