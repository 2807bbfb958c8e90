// The data that crosses Baton's boundaries: client → interpreter workflow → agent activity.
// Pure types and constants only, so the workflow sandbox, the activities and the CLI can all
// import this file.
import type { AgentContextView, AgentDefinition, PersonalContextRef } from './agent-context.js';
import type { CarriedRun, ResumeFrom, ReuseReport } from './call-journal.js';
import type { ApprovalView, NotifyTarget } from './approval-types.js';
import type { AgentRepo, RepoSource } from './repo-source.js';
import type { ScriptLookup } from './script-ref.js';
import type { AgentOptions, PassedOptionField } from './agent-options.js';
import type { ScoreView } from './score-types.js';
import type { AgentState, TokenUsage } from './agent-state.js';

export type { AgentState, TokenUsage };

export const INTERPRETER_WORKFLOW_TYPE = 'batonRun';
export const DEFAULT_TASK_QUEUE = 'baton';

/**
 * Signal an agent activity sends its run's workflow when the provider starts rate limiting or is
 * overloaded: agents that have not started yet wait until `untilMs` (docs/design.md#an-agents-durability).
 * The name lives here so activities need not import workflows/.
 */
export const PROVIDER_BACKOFF_SIGNAL = 'batonProviderBackoff';

/**
 * Update an agent activity sends its run after a model turn (docs/runs.md#budgets: spend is checked after every
 * turn): the turn's usage and what it did, batched per worker and run (activities/turn-reports.ts).
 * Its answer says, per agent, whether to make the next model call.
 */
export const AGENT_TURNS_UPDATE = 'batonAgentTurns';

/** One entry of an AGENT_TURNS_UPDATE: a completed model turn, or a stall of one. */
export interface TurnReport {
  agentId: string;
  /** `activityId/attempt`: with `turn`, names one paid model call, so a resent report counts once. */
  attemptKey: string;
  /** The conversation's turn count after this turn (a resumed attempt goes on from its checkpoint's). */
  turn: number;
  /** `turn`: a model call completed (with its usage); `stalled`: one was abandoned after stallMs with no progress. */
  event: 'turn' | 'stalled';
  usage: TokenUsage;
  /** Of `usage.cacheWrite`, the tokens written to the 1-hour cache (priced 2x input rather than 1.25x). */
  cacheWrite1h?: number;
  /** Web searches the provider ran within the turn (WebSearch), each billed WEB_SEARCH_USD. */
  webSearches?: number;
  /** The turn's tool calls, described as in AgentView.lastToolCall. */
  toolCalls: string[];
  /** The start of the turn's text, if it wrote any. */
  text: string | null;
}

/** The answer to one TurnReport: whether the agent may make its next model call. */
export interface TurnVerdict {
  agentId: string;
  go: boolean;
  /** Why not, for the activity's log. */
  reason?: string;
}

/** The payload of PROVIDER_BACKOFF_SIGNAL. */
export interface ProviderBackoff {
  /** Epoch ms until which the provider asked to be left alone (retry-after, or the backoff). */
  untilMs: number;
  reason: 'rate_limited' | 'overloaded';
  /** The agent that hit the limit, counted in its AgentView.rateLimitWaits. */
  agentId?: string;
}

/** `export const meta = {...}` of a script, after validation. */
export interface ScriptMeta {
  name: string;
  description: string;
  whenToUse?: string;
  phases?: PhaseMeta[];
}

export interface PhaseMeta {
  title: string;
  detail?: string;
  model?: string;
}

/** What the compiler hands to the interpreter. Travels inside the workflow input. */
export interface CompiledScript {
  /** Path the user gave, for messages (`review.js:12:5: ...`). */
  fileName: string;
  meta: ScriptMeta;
  /**
   * An expression of plain JavaScript that evaluates to an async function taking no
   * parameters; the script body is its body. Globals (agent, parallel, ...) are provided by
   * the interpreter.
   */
  program: string;
  /**
   * For each 1-based line of `program`, the 1-based [line, column] in the user's file that it
   * came from, or null. Index 0 is unused. Lets runtime errors name the script's own position.
   */
  lineMap: Array<[number, number] | null>;
  /**
   * The script file's text as compiled, so a run can be saved as a named workflow (`baton save`).
   * Absent from runs started before it was recorded, and from hand-built programs.
   */
  source?: string;
  /** What the compiler warned about (`line:column: message`), for the approval card. */
  warnings?: string[];
}

export interface ModelPrice {
  /** USD per million input tokens; cache reads cost 0.1x, 5-minute cache writes 1.25x, 1-hour writes 2x of this. */
  inputPerMTok: number;
  outputPerMTok: number;
  /**
   * Dearer rates for a request whose prompt (input + cache reads + cache writes) is above
   * `abovePromptTokens`; the highest tier that applies wins. Priced per model call.
   */
  tiers?: PriceTier[];
}

export interface PriceTier {
  abovePromptTokens: number;
  inputPerMTok: number;
  outputPerMTok: number;
}

export interface ModelTable {
  /** alias → model id, e.g. `haiku` → `claude-haiku-5-5`. */
  aliases: Record<string, string>;
  /** model id (or alias) → price. */
  prices: Record<string, ModelPrice>;
  /** The aliases the config file sets: they win over the provider's newest id of a family. */
  configAliases?: string[];
}

export interface RunOptions {
  /** Concurrent agents, 1..256. */
  concurrency: number;
  /** Agents per run; the next `agent()` call throws AgentLimitError. */
  maxAgents: number;
  /** Default model: alias or id. */
  model: string;
  modelTable: ModelTable;
  /** Output-token ceiling, or null. */
  budgetTokens: number | null;
  /** Cost ceiling in USD, or null. */
  maxCostUsd: number | null;
  /**
   * What reaching a ceiling does (docs/runs.md#budgets): `stop` (absent: the default) stops the run's agents;
   * `pause` holds them until `baton budget` raises the ceiling.
   */
  onBudget?: 'stop' | 'pause';
  /** Absolute path of the workspace agents work in (unused with `repo`). */
  workspace: string;
  /** `--repo URL [--ref REF]`: agents work on this remote's pinned commit, on any worker, and push branches back. */
  repo?: RepoSource;
  /** Claude Code permission rules, e.g. `Bash(npm test:*)`. */
  allow: string[];
  /**
   * `--allow-net HOST[:PORT]`: what Bash commands may reach through the sandbox. Absent or empty:
   * no network (runs started before it existed had none to give).
   */
  allowNet?: string[];
  /**
   * Where `workflow(NAME)` looks saved workflows up, and what a relative `{ scriptPath }` is
   * relative to: the directory and home of whoever started the run. Absent (runs started before
   * nesting, hand-built inputs): the workspace, without personal workflows.
   */
  scriptLookup?: ScriptLookup;
  /**
   * Internal, for tests: continue as new once this many agents have ended in the current run,
   * instead of when Temporal suggests it (history getting long). Absent: follow Temporal.
   */
  continueAsNewAfterAgents?: number;
  /**
   * `baton check --dry-run`: every agent() call, after the usual checks, resolves at once to a
   * placeholder (schema-shaped when a schema is given): no activity, no model request.
   */
  dryRun?: boolean;
  /**
   * docs/fleet.md#fair-share-across-runs (`baton run --tenant NAME`): the fairness key of the run's tasks, shared by
   * every run of the tenant. Absent: the run's workflow id, so each run is its own share.
   */
  tenant?: string;
  /** `--tenant-weight W`: the tenant's share relative to others (Temporal's default 1). */
  tenantWeight?: number;
  /** `--auto-approve`: every approve() resolves to true at once, recorded as answered by `--auto-approve`. */
  autoApprove?: boolean;
  /** `--notify URL` (and `notify` in the config file): a JSON POST when the run waits at approve() or ends. */
  notify?: NotifyTarget[];
  /**
   * `--personal-context`: the starter's ~/.claude/CLAUDE.md, agents and skills, taken by the CLI at
   * start (docs/agents.md). Absent: agents get only what their checkout holds.
   */
  personal?: PersonalContextRef;
  /**
   * Set by the interpreter from its memo when a schedule started the run, so the runs it continues
   * as keep it: agents are told the run is an automated trigger.
   */
  scheduledBy?: string;
  /**
   * Set by the run itself at its start: family → the newest id the provider listed (already merged
   * into `modelTable.aliases`). Carried when the run continues as new, so it lists only once.
   */
  providerAliases?: Record<string, string>;
}

export interface RunInput {
  script: CompiledScript;
  /** Passed verbatim to the script as `args`; undefined when none. */
  args?: unknown;
  options: RunOptions;
  /** `--resume-from`: an earlier run's journal whose succeeded calls are reused (docs/runs.md#resuming-an-edited-script). */
  resume?: ResumeFrom;
  /** Set only by the workflow itself when it continues as new: the run so far. */
  carry?: CarriedRun;
}

export type { Effort } from './agent-options.js';

/** The options an agent's request carries as the script gave them (contract/agent-options.ts). */
export type AgentRequestOptions = Pick<AgentOptions, PassedOptionField>;

/** One `agent()` call, resolved by the workflow and executed by the agent activity. */
export interface AgentRequest extends AgentRequestOptions {
  runId: string;
  /** Stable within a run: `a1`, `a2`, ... in call order. */
  agentId: string;
  prompt: string;
  label: string;
  phase: string | null;
  /** Resolved model id (never an alias). */
  model: string;
  /** The custom agent type `agentType` names (a `.claude/agents/*.md` file), as the run resolved it at its start. */
  definition?: AgentDefinition;
  /** The starter's personal context, when the run carries one. */
  personal?: PersonalContextRef;
  /** The schedule that started the run: the agent is told it is an automated trigger. */
  scheduledBy?: string;
  workspace: string;
  /** With `--repo`: the run's pinned commit, checked out from the worker's cache instead of `workspace`. */
  repo?: AgentRepo;
  allow: string[];
  /** HOST[:PORT] entries Bash commands may reach: the run's `--allow-net`, narrowed by the agent's `allowNet`. Absent: none. */
  allowNet?: string[];
}

export interface AgentOutcome {
  status: 'succeeded' | 'failed';
  /** Final text, or the validated object when a schema was given; null when failed. */
  result: unknown;
  usage: TokenUsage;
  turns: number;
  /** e.g. `Grep {"pattern":"TODO"}`, for status views. */
  lastToolCall: string | null;
  /** The last few tool calls of the attempt, oldest first (absent from agents run before it existed). */
  recentToolCalls?: string[];
  error: { type: string; message: string } | null;
  /**
   * Of `usage`, what this attempt spent that no turn report told the run (its last turn, whose
   * usage travels here). The run adds this, not `usage`, to what the reports already counted.
   * Absent from outcomes recorded before turn reports: the run then counts `usage`.
   */
  unreported?: TokenUsage;
  /** Web searches of the turns in `unreported`, each billed WEB_SEARCH_USD on top of the tokens. */
  unreportedWebSearches?: number;
  /**
   * With `isolation: 'worktree'`: the branch (`baton/<runId>/<agentId>`) holding the agent's
   * committed changes, or null when it changed nothing or failed. Absent without isolation.
   */
  branch?: string | null;
  /** What the agent's first message carried besides its task (absent from outcomes recorded before it). */
  context?: AgentContextView;
}

export type RunStatus = 'running' | 'paused' | 'waiting' | 'completed' | 'failed' | 'stopped' | 'budget_exhausted';

export interface AgentView {
  id: string;
  label: string;
  phase: string | null;
  model: string;
  state: AgentState;
  tokens: TokenUsage;
  turns: number;
  lastToolCall: string | null;
  error: string | null;
  startedAt: number | null;
  endedAt: number | null;
  /** Times this agent waited out a rate limit or an overload (429/529) inside its activity. */
  rateLimitWaits: number;
  /** The start of the prompt (AGENT_PROMPT_PREVIEW_CHARS); the whole of it is in AgentDetail. */
  prompt?: string;
  /** With `isolation: 'worktree'`: the branch holding the agent's changes, or null. */
  branch?: string | null;
  /** Times a user restarted this agent (`baton agent restart`). */
  restarts?: number;
  /** The saved workflow that called agent() when it ran nested (`workflow()`); absent for the run's own script. */
  workflow?: string;
  /** USD spent by this agent, each model call priced at its own tier (absent from runs recorded before it). */
  costUsd?: number;
  /** Epoch ms (workflow time) of the last turn or stall the run heard of, while it runs. */
  lastProgressAt?: number | null;
  /** Times a model call of this agent was abandoned after `stallMs` without progress. */
  stalls?: number;
  /** Set from a stall until the next completed turn. */
  stalled?: boolean;
  /** Its model has no price in the run's table: its tokens are not in `costUsd` (absent when priced). */
  unpriced?: boolean;
  /** The context files its first message carried and its agent type's source, once it ended. */
  context?: AgentContextView;
}

/** Characters of an agent's prompt the run's state shows; `baton agent` shows the whole prompt. */
export const AGENT_PROMPT_PREVIEW_CHARS = 200;

/** One agent in full, answered by the agent query (`baton agent RUN ID`). */
export interface AgentDetail {
  agent: AgentView;
  prompt: string;
  /** The agent's result once it succeeded; null before, or when it failed or was stopped. */
  result: unknown;
  /** The last few tool calls, oldest first; kept current after every turn. */
  recentToolCalls: string[];
  /** The start of the text of the agent's latest turn that wrote any. */
  lastText?: string | null;
}

/** What a steering update (pause, resume, stop, agent stop/restart) answers when accepted. */
export interface SteeringAnswer {
  /** The run's status after the change (`paused`, `running`; `running` while a stop takes effect). */
  status: RunStatus;
  /** One line for the user, e.g. `paused: running agents finish, no new agent starts`. */
  message: string;
}

export interface PhaseView {
  title: string;
  agents: number;
  byState: Partial<Record<AgentState, number>>;
  tokens: number;
  /** The phase's agents' usage, priced with the run's model table. */
  costUsd: number;
  elapsedMs: number;
}

export interface AgentCounts {
  total: number;
  succeeded: number;
  failed: number;
  cached: number;
  stopped: number;
  running: number;
  pending: number;
}

export interface ScriptErrorInfo {
  type: string;
  message: string;
  line: number | null;
  column: number | null;
  /** The nested workflow's file the line is in (`workflow()`); absent when it is the run's own script. */
  file?: string;
}

/** A run's report without its agent list and logs (the UI's details, kept current at every change). */
export type RunOverview = Omit<RunReport, 'agentList' | 'logs'>;

/** The interpreter's view of a run: answered by the state query, returned at the end. */
export interface RunReport {
  name: string;
  description: string;
  status: RunStatus;
  result: unknown;
  error: ScriptErrorInfo | null;
  agents: AgentCounts;
  tokens: TokenUsage;
  costUsd: number;
  phases: PhaseView[];
  agentList: AgentView[];
  logs: string[];
  /** Agents that may still start under `maxAgents`. */
  agentsLeft: number;
  budget: { totalTokens: number | null; spentTokens: number; maxCostUsd: number | null };
  /** With `--repo`: the remote and the commit the run pinned at its start (docs/fleet.md#git-remotes). */
  repo?: { url: string; ref: string | null; commit: string };
  /** Why the run is paused (`baton pause`, or a ceiling reached with `--on-budget pause`); null when it is not. */
  pausedReason?: string | null;
  /** The script's approve() calls in call order, answered or waiting; absent when it made none. */
  approvals?: ApprovalView[];
  /** `--resume-from` and `baton rerun`: how many calls were reused, and the first that was not. */
  reuse?: ReuseReport;
  /** score() and `baton score`, in the order first given; absent when none. */
  scores?: ScoreView[];
  /** Errors parallel() or pipeline() turned into null, as logged (the newest few); absent when none. */
  nulled?: string[];
  /** Models of the run's agents without a price: their tokens are left out of `costUsd` (absent when none). */
  unpricedModels?: string[];
  /** log() lines shown so far in the whole run (`logs` holds the newest): followers print those past what they saw. */
  logTotal?: number;
  /**
   * While the provider is rate limiting or overloaded: the epoch ms until which agents that have
   * not started yet are held back. Null when no hold is in force.
   */
  providerBackoffUntil: number | null;
  startedAt: number;
  endedAt: number | null;
}
