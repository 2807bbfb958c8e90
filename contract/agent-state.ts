// An agent's state and token usage: what the call journal records and every report shows. Pure types.

export type AgentState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cached' | 'stopped';

export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}
