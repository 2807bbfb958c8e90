// A run's report (contract/run-types.ts) as zod schemas, for the structured answers of `baton mcp`:
// the tools build each answer by parsing with these and declare their JSON Schema as the tool's
// outputSchema, so what a client validates is what it gets. The checks at the end fail to compile
// when a field is added to the report's types and not here.
import { z } from 'zod';
import type { ApprovalView } from '../../contract/approval-types.js';
import type { ReuseMiss, ReuseReport } from '../../contract/call-journal.js';
import type { AgentCounts, AgentView, PhaseView, RunReport, ScriptErrorInfo, TokenUsage } from '../../contract/run-types.js';
import type { RunSummary } from '../../client/run-report.js';
import type { ScoreView } from '../../contract/score-types.js';

const epochMs = z.number().describe('epoch milliseconds');

export const runStatus = z.enum(['running', 'paused', 'waiting', 'completed', 'failed', 'stopped', 'budget_exhausted']);
const agentState = z.enum(['pending', 'running', 'succeeded', 'failed', 'cached', 'stopped']);

const tokenUsage = z.object({ input: z.number(), output: z.number(), cacheRead: z.number(), cacheWrite: z.number() });

const agentContext = z.object({
  files: z.array(z.object({ path: z.string(), chars: z.number(), kind: z.enum(['project', 'personal', 'import', 'skill']) })),
  git: z.boolean(),
  agentType: z.object({ name: z.string(), source: z.enum(['project', 'personal', 'plugin', 'built-in']), path: z.string().optional() }).optional(),
});

export const agentView = z.object({
  id: z.string(),
  label: z.string(),
  phase: z.string().nullable(),
  model: z.string(),
  state: agentState,
  tokens: tokenUsage,
  turns: z.number(),
  lastToolCall: z.string().nullable(),
  error: z.string().nullable(),
  startedAt: epochMs.nullable(),
  endedAt: epochMs.nullable(),
  rateLimitWaits: z.number(),
  prompt: z.string().optional(),
  branch: z.string().nullable().optional().describe("with isolation: 'worktree': the branch holding the agent's changes, or null"),
  restarts: z.number().optional(),
  workflow: z.string().optional(),
  costUsd: z.number().optional(),
  lastProgressAt: epochMs.nullable().optional(),
  stalls: z.number().optional(),
  stalled: z.boolean().optional(),
  unpriced: z.boolean().optional(),
  context: agentContext.optional().describe('the context files its first message carried and its agent type, once it ended'),
});

const phaseView = z.object({
  title: z.string(),
  agents: z.number(),
  byState: z.partialRecord(agentState, z.number()),
  tokens: z.number(),
  costUsd: z.number(),
  elapsedMs: z.number(),
});

const agentCounts = z.object({
  total: z.number(),
  succeeded: z.number(),
  failed: z.number(),
  cached: z.number(),
  stopped: z.number(),
  running: z.number(),
  pending: z.number(),
});

export const scriptError = z.object({
  type: z.string(),
  message: z.string(),
  line: z.number().nullable(),
  column: z.number().nullable(),
  file: z.string().optional(),
});

const approvalView = z.object({
  id: z.string(),
  message: z.string(),
  state: z.enum(['waiting', 'approved', 'rejected', 'timed_out', 'stopped']),
  answer: z.boolean().nullable(),
  askedAt: epochMs,
  answeredAt: epochMs.nullable(),
  answeredBy: z.string().nullable(),
  timeoutAt: epochMs.nullable(),
  default: z.boolean().nullable(),
});

const reuseMiss = z.object({
  agentId: z.string(),
  label: z.string(),
  earlierAgentId: z.string().nullable(),
  changed: z.array(z.string()),
  reason: z.string(),
});

const reuseReport = z.object({
  fromRunId: z.string(),
  mode: z.enum(['prefix', 'any']),
  reused: z.number(),
  offered: z.number(),
  firstMiss: reuseMiss.nullable(),
});

const scoreView = z.object({
  name: z.string(),
  value: z.number().describe('a boolean score is 1 or 0, with kind boolean'),
  kind: z.enum(['number', 'boolean']),
  note: z.string().nullable(),
  by: z.string().describe("'script' for the script's score(), else who gave it with baton score"),
  at: epochMs,
});

/** RunReport itself. */
export const runReport = z.object({
  name: z.string(),
  description: z.string(),
  status: runStatus,
  // What the script returned: any JSON value; absent while the run is live.
  result: z.unknown().optional(),
  error: scriptError.nullable(),
  agents: agentCounts,
  tokens: tokenUsage,
  costUsd: z.number(),
  phases: z.array(phaseView),
  agentList: z.array(agentView),
  logs: z.array(z.string()),
  agentsLeft: z.number(),
  budget: z.object({ totalTokens: z.number().nullable(), spentTokens: z.number(), maxCostUsd: z.number().nullable() }),
  repo: z.object({ url: z.string(), ref: z.string().nullable(), commit: z.string() }).optional(),
  pausedReason: z.string().nullable().optional(),
  approvals: z.array(approvalView).optional(),
  reuse: reuseReport.optional(),
  nulled: z.array(z.string()).optional(),
  unpricedModels: z.array(z.string()).optional(),
  logTotal: z.number().optional(),
  scores: z.array(scoreView).optional(),
  providerBackoffUntil: epochMs.nullable(),
  startedAt: epochMs,
  endedAt: epochMs.nullable(),
});

/** `baton status --json` (RunSummary) with the agent list. */
export const runSummaryWithAgents = runReport.extend({
  runId: z.string(),
  workflowId: z.string(),
  branches: z.array(z.object({ agentId: z.string(), label: z.string(), branch: z.string() })),
  scores: z.array(scoreView),
});

// Compile-time: each schema has exactly its type's fields, with the same types. (Whether a field may
// be absent is the schema's to say: `result` is, while the run is live, as JSON drops undefined.)
type Same<A, B> = [Required<A>] extends [Required<B>]
  ? [Required<B>] extends [Required<A>]
    ? [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
      ? true
      : false
    : false
  : false;
type Checks = [
  Same<z.output<typeof tokenUsage>, TokenUsage>,
  Same<z.output<typeof agentView>, AgentView>,
  Same<z.output<typeof phaseView>, PhaseView>,
  Same<z.output<typeof agentCounts>, AgentCounts>,
  Same<z.output<typeof scriptError>, ScriptErrorInfo>,
  Same<z.output<typeof approvalView>, ApprovalView>,
  Same<z.output<typeof reuseMiss>, ReuseMiss>,
  Same<z.output<typeof reuseReport>, ReuseReport>,
  Same<z.output<typeof scoreView>, ScoreView>,
  Same<z.output<typeof runReport>, RunReport>,
  Same<z.output<typeof runSummaryWithAgents>, RunSummary & Pick<RunReport, 'agentList'>>,
];
export const SCHEMAS_MATCH_TYPES: Checks = [true, true, true, true, true, true, true, true, true, true, true];
