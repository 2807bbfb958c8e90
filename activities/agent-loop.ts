// The agent: a Claude tool-use loop over one conversation. Independent of Temporal so it can
// be tested against a model server directly; run-agent-activity.ts puts it in an activity.
import type Anthropic from '@anthropic-ai/sdk';
import { emptyUsage } from '../contract/pricing.js';
import type { AgentOutcome, AgentRequest, TurnReport } from '../contract/run-types.js';
import type { Conversation, FilesSnapshot } from './agent-checkpoint.js';
import type { Checkpoints } from './agent-checkpoint-recorder.js';
import { AgentFailure, AgentStoppedByRun, ensureError, MaxTurnsExceeded, ModelStalled, ModelStopped } from './agent-errors.js';
import { agentProfile, fileBashRules, type AgentProfile } from './agent-profiles.js';
import { AgentProgress, describeToolCall, textPreview, type InterruptedSpend, type ProgressSnapshot, type TurnUsage } from './agent-progress.js';
import { openAgentSession, type AgentSession } from './agent-session.js';
import { assistantContent, streamModelTurn } from './model-turn.js';
import { Permissions } from './permissions.js';
import { personalContextOf } from './personal-context.js';
import { readAgentContext } from './project-context.js';
import { withProviderRetry, type ProviderRetryPolicy, type ProviderWait } from './provider-retry.js';
import type { RepoCache } from './repo-cache.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { TurnAnswer } from './turn-reports.js';
import { STRUCTURED_OUTPUT_TOOL, structuredOutputFor, type StructuredOutput } from './structured-output.js';
import { runTool, selectTools, type AgentTool, type ToolContext } from './tools/index.js';
import { SERVER_TOOL_NAMES, webToolDefinitions } from './web-tools.js';

export const DEFAULT_MAX_TURNS = 50;
/**
 * How often the activity heartbeats while a turn is in progress (model call or tools). Far under
 * any sensible heartbeat timeout, and cheap: Temporal's worker throttles what reaches the server.
 */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const MAX_OUTPUT_TOKENS = 16_000;
/** How long a cancelled attempt waits for the answer to its last turn report before it hands over what it spent. */
const VERDICT_WAIT_ON_CANCEL_MS = 10_000;

type PendingVerdict = { verdict: Promise<TurnAnswer> | null };
const EDITING_TOOLS = ['Write', 'Edit', 'Bash'];

export interface AgentLoopDeps {
  client: Anthropic;
  /** Called with progress details; the activity forwards them to Temporal. */
  heartbeat: (progress: ProgressSnapshot) => void;
  signal?: AbortSignal;
  /** The worker's repository cache, for `--repo` runs (absent: such agents fail, naming it). */
  repos?: RepoCache;
  /** Where a `--repo` agent's worktree snapshots travel between workers (the fleet's blob store). */
  snapshotStore?: BlobStore;
  /** Abort a model stream that sends nothing for this long (default: the request's stallMs, else 180 s). */
  streamIdleTimeoutMs?: number;
  /**
   * Tells the run about a turn (or a stall) and resolves with its verdict on the next one; absent:
   * nothing is reported and every turn may go on (the outcome then carries all the usage).
   */
  reportTurn?: (report: Omit<TurnReport, 'agentId' | 'attemptKey'>) => Promise<TurnAnswer>;
  /**
   * Called when `signal` ends the attempt, with what it spent that the run has not counted (the
   * call at the model included): the activity hands it to the run with its cancellation.
   */
  onInterrupted?: (spent: InterruptedSpend) => void;
  /** Heartbeat at least this often while the agent runs (default HEARTBEAT_INTERVAL_MS). */
  heartbeatIntervalMs?: number;
  /** Where an earlier attempt left off, and where each completed turn is saved; absent: start fresh, save nothing. */
  checkpoints?: Checkpoints;
  /**
   * How each model call rides out provider faults (provider-retry.ts), and who hears of each
   * wait; absent: every provider fault is thrown to the caller at once.
   */
  providerRetry?: { policy: ProviderRetryPolicy; onWait?: (wait: ProviderWait) => void };
}

const CACHE: Anthropic.CacheControlEphemeral = { type: 'ephemeral' };

/**
 * Runs the agent to completion. Resolves with a `succeeded` outcome, or a `failed` one for a
 * terminal AgentFailure (with the usage spent so far); rejects with a ProviderFault that
 * `providerRetry` did not absorb (retry the whole call) or the abort reason when `signal` fires.
 */
export async function runAgentLoop(request: AgentRequest, deps: AgentLoopDeps): Promise<AgentOutcome> {
  const resume = deps.checkpoints?.resume ?? null;
  // Tokens earlier attempts spent are spent whether or not their conversation can be resumed.
  const progress = new AgentProgress(resume?.usage);
  // The run's answer to the last turn's report, awaited before the next model call: that is what
  // bounds a budget's overshoot to one turn per agent in flight.
  const pending: PendingVerdict = { verdict: null };
  // With isolation the outcome always says which branch holds the work: null when none does.
  const branch = request.isolation === 'worktree' ? { branch: null } : {};
  let session: AgentSession | undefined;
  // One pulse for the whole attempt, so no wait (a slow first token, a long Glob or Bash run, a
  // worktree snapshot) can outlast the heartbeat timeout; the activity adds the latest checkpoint.
  const pulse = setInterval(() => deps.heartbeat(progress.snapshot()), deps.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS);
  try {
    const profile = agentProfile(request.agentType, request.definition);
    // An agent file's `tools: Bash(git diff:*)` narrows the run's --allow; nothing widens it.
    const permissions = Permissions.fromRules(request.allow).narrowedBy(fileBashRules(request.definition));
    let resumed = resume?.conversation ?? null;
    // With --repo, an agent that can change files gets its own worktree; read-only ones share a checkout.
    const edits = selectTools(profile.tools, request.tools).some((tool) => EDITING_TOOLS.includes(tool.name));
    session = await openAgentSession(request, resumed && { snapshot: resumed.snapshot, snapshotBundle: resumed.snapshotBundle }, {
      repos: deps.repos,
      snapshotStore: deps.snapshotStore,
      edits,
    });
    if (resumed && !session.resumed) {
      // Resuming with files that do not match the conversation would mislead the model.
      deps.checkpoints!.abandon(`the files of its checkpoint (worktree snapshot ${resumed.snapshot ?? 'none'}) are no longer in the repository`);
      resumed = null;
    }
    const result = await converse(request, deps, progress, profile, session, permissions, resumed, pending);
    const finished = await session.finish();
    return { ...progress.succeeded(result), ...branch, ...finished };
  } catch (e) {
    await session?.discard();
    const error = ensureError(e);
    if (error instanceof AgentFailure) return { ...progress.failed(error), ...branch };
    if (deps.signal?.aborted && deps.onInterrupted) {
      // A report still unanswered is counted by the run when it arrives (the run waits for this
      // attempt); its answer says so, and then that turn is not handed over a second time.
      if (pending.verdict) await settledWithin(pending.verdict, VERDICT_WAIT_ON_CANCEL_MS);
      deps.onInterrupted(progress.interrupted());
    }
    throw error;
  } finally {
    clearInterval(pulse);
  }
}

async function converse(
  request: AgentRequest,
  deps: AgentLoopDeps,
  progress: AgentProgress,
  profile: AgentProfile,
  session: AgentSession,
  permissions: Permissions,
  resumed: Conversation | null,
  pending: PendingVerdict,
): Promise<unknown> {
  deps = { ...deps, streamIdleTimeoutMs: deps.streamIdleTimeoutMs ?? request.stallMs };
  const modelDeps = { ...deps, onStart: (usage: Anthropic.Usage) => progress.startTurn(usage) };
  // Read from this agent's own checkout; a resumed conversation already holds its first message,
  // but its Skill tool still needs the skills.
  const context = await readAgentContext({
    runId: request.runId,
    workspaceRoot: session.workspace.root,
    personal: await personalContextOf(request.personal, deps.snapshotStore),
    ...(request.scheduledBy !== undefined ? { scheduledBy: request.scheduledBy } : {}),
    ...(request.definition?.skills ? { preloadSkills: request.definition.skills } : {}),
  });
  progress.context = {
    ...context.view,
    ...(request.definition
      ? {
          agentType: {
            name: request.definition.name,
            source: request.definition.source,
            ...(request.definition.path ? { path: request.definition.path } : {}),
          },
        }
      : {}),
  };
  // Skill is offered only with skills to load, so agents of a checkout without any send what they always sent.
  const tools = selectTools(profile.tools, request.tools).filter((tool) => tool.name !== 'Skill' || context.skills.length > 0);
  const structured = request.schema ? structuredOutputFor(request.schema, resumed?.structuredFailures) : null;
  const maxTurns = request.maxTurns ?? request.definition?.maxTurns ?? DEFAULT_MAX_TURNS;
  const beat = () => deps.heartbeat(progress.snapshot());
  const toolContext: ToolContext = {
    workspace: session.workspace,
    permissions,
    scratchDir: session.scratchDir,
    signal: deps.signal,
    heartbeat: beat,
    sandbox: session.sandbox,
    annotateToolCall: (note) => progress.annotateLastToolCall(note),
    skills: context.skills,
  };
  const byName = new Map(tools.map((t) => [t.name, t]));

  const prefix = requestPrefix(request, profile.systemPrompt, tools, webToolDefinitions(request.allow, profile.tools, request.tools), structured);
  const messages: Anthropic.MessageParam[] = resumed
    ? [...resumed.messages]
    : [{ role: 'user', content: [...context.blocks, ...firstUserTurn(request.prompt, structured)] }];
  if (resumed) {
    progress.turns = resumed.turns;
    progress.lastToolCall = resumed.lastToolCall;
  }
  // After each completed turn: `messages` is then exactly the next request's conversation.
  const checkpoint = async () => {
    if (!deps.checkpoints) return;
    let files: FilesSnapshot;
    try {
      files = await session.snapshot();
    } catch (e) {
      return deps.checkpoints.skipped(`the worktree's files could not be snapshotted (${ensureError(e).message})`);
    }
    const { turns, lastToolCall } = progress;
    await deps.checkpoints.save({ messages, turns, lastToolCall, structuredFailures: structured?.failures ?? 0, ...files }, progress.snapshot());
  };

  const retry = deps.providerRetry && {
    ...deps.providerRetry,
    signal: deps.signal,
    onWait: (wait: ProviderWait) => {
      if (wait.error instanceof ModelStalled)
        void deps.reportTurn?.({ event: 'stalled', turn: progress.turns, usage: emptyUsage(), toolCalls: [], text: null });
      deps.providerRetry?.onWait?.(wait);
    },
  };

  for (;;) {
    deps.signal?.throwIfAborted();
    beat();
    if (pending.verdict) {
      // The run may take long to answer (held at a ceiling, or unreachable): the agent stays
      // alive for Temporal meanwhile, which is also how a cancellation reaches it.
      const keepAlive = setInterval(beat, VERDICT_HEARTBEAT_MS);
      const answer = await untilAborted(pending.verdict, deps.signal).finally(() => clearInterval(keepAlive));
      pending.verdict = null;
      if (!answer.go)
        throw new AgentStoppedByRun(`The run ended agent ${request.agentId} after turn ${progress.turns}: ${answer.reason ?? 'no reason given'}.`);
    }
    const params = { ...prefix, messages: withMovingBreakpoint(messages) };
    const message = retry ? await withProviderRetry(() => streamModelTurn(params, modelDeps), retry) : await streamModelTurn(params, modelDeps);
    const turnUsage = progress.recordTurn(message.usage);
    // Reported only when another turn follows: a one-turn agent's usage travels in its outcome,
    // so short agents cost the run no extra event.
    const report = () => {
      if (!deps.reportTurn || pending.verdict) return;
      pending.verdict = reportTurn(deps.reportTurn, progress, turnUsage, message);
    };
    if (message.stop_reason === 'refusal') throw new ModelStopped('The model refused the task (stop_reason: refusal).');
    if (message.stop_reason === 'model_context_window_exceeded') {
      throw new ModelStopped("The conversation outgrew the model's context window; split the task into smaller agents.");
    }
    const content = assistantContent(message);
    const toolUses = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    const outOfTurns = progress.turns >= maxTurns;
    // Searches and fetches the provider ran in this turn show in status like the agent's own tools.
    for (const block of message.content)
      if (block.type === 'server_tool_use') progress.recordToolCall(SERVER_TOOL_NAMES[block.name] ?? block.name, block.input);

    if (message.stop_reason === 'pause_turn') {
      // The provider paused a long turn of server tools: sent back as it is, the turn goes on.
      if (outOfTurns) throw turnsExceeded(request, maxTurns, progress);
      messages.push({ role: 'assistant', content: withoutTrailingWhitespace(content) });
      report();
      await checkpoint();
      continue;
    }

    if (toolUses.length === 0) {
      if (!structured) return finalText(message);
      // The model answered in prose: remind it, which costs an attempt like a wrong answer.
      structured.recordFailure(`The agent ended its turn without calling ${STRUCTURED_OUTPUT_TOOL}.`);
      if (outOfTurns) throw turnsExceeded(request, maxTurns, progress);
      messages.push({ role: 'assistant', content: content.length > 0 ? content : [{ type: 'text', text: '(no answer)' }] });
      messages.push({ role: 'user', content: [{ type: 'text', text: structured.reminder }] });
      report();
      await checkpoint();
      continue;
    }

    const isAnswer = (use: Anthropic.ToolUseBlock) => structured !== null && use.name === STRUCTURED_OUTPUT_TOOL;
    // The last allowed turn can still finish by answering; other tool calls would go unseen.
    if (outOfTurns && !toolUses.some(isAnswer)) throw turnsExceeded(request, maxTurns, progress);
    messages.push({ role: 'assistant', content });
    // A turn that calls tools is reported before they run, so the live view shows what runs now.
    if (!outOfTurns && toolUses.some((use) => !isAnswer(use))) report();

    const results = new Map<string, Anthropic.ToolResultBlockParam>();
    for (const use of toolUses.filter((u) => !isAnswer(u))) {
      progress.recordToolCall(use.name, use.input);
      const run = await runTool(byName.get(use.name), use.name, use.input, toolContext);
      results.set(use.id, { type: 'tool_result', tool_use_id: use.id, content: run.content, ...(run.isError ? { is_error: true } : {}) });
      beat();
    }
    // The answer is checked after the turn's other tools ran, so their side effects happen.
    for (const use of toolUses.filter(isAnswer)) {
      progress.recordToolCall(use.name, use.input);
      const checked = structured!.check(use.input);
      if (checked.ok) return checked.value;
      structured!.recordFailure(checked.errors);
      results.set(use.id, { type: 'tool_result', tool_use_id: use.id, is_error: true, content: structured!.retryMessage(checked.errors) });
    }
    if (outOfTurns) throw turnsExceeded(request, maxTurns, progress);
    // Every tool_use of the turn is answered in one user message, in the order they were made.
    messages.push({ role: 'user', content: toolUses.map((u) => results.get(u.id)!) });
    report();
    await checkpoint();
  }
}

/** Well inside the agent activity's 30 s heartbeat timeout. */
const VERDICT_HEARTBEAT_MS = 5_000;

function reportTurn(send: NonNullable<AgentLoopDeps['reportTurn']>, progress: AgentProgress, turn: TurnUsage, message: Anthropic.Message): Promise<TurnAnswer> {
  const toolCalls = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use').map((u) => describeToolCall(u.name, u.input));
  const searches = turn.webSearches > 0 ? { webSearches: turn.webSearches } : {};
  return send({
    event: 'turn',
    turn: progress.turns,
    usage: turn.usage,
    cacheWrite1h: turn.cacheWrite1h,
    ...searches,
    toolCalls,
    text: textPreview(message),
  }).then((answer) => {
    if (answer.counted) progress.acknowledge(turn);
    return answer;
  });
}

/** Resolves when `promise` settles or after `ms`, whichever is first. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]).finally(() => clearTimeout(timer));
}

/** `promise`, unless `signal` fires first (a held verdict must not outlive a cancellation). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function turnsExceeded(request: AgentRequest, maxTurns: number, progress: AgentProgress): MaxTurnsExceeded {
  const last = progress.lastToolCall ? ` (last tool call: ${progress.lastToolCall})` : '';
  return new MaxTurnsExceeded(`Agent ${request.agentId} used all ${maxTurns} turns without finishing${last}; raise maxTurns or narrow the task.`);
}

/**
 * Everything before the conversation: identical for every agent of a fan-out with the same
 * model, profile and tools, and marked as a prompt-cache prefix so they pay for it once.
 */
function requestPrefix(
  request: AgentRequest,
  systemPrompt: string,
  tools: AgentTool[],
  serverTools: Anthropic.ToolUnion[],
  structured: StructuredOutput | null,
): Omit<Anthropic.MessageCreateParamsNonStreaming, 'messages'> {
  const definitions: Anthropic.ToolUnion[] = tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.inputSchema as Anthropic.Tool.InputSchema,
  }));
  definitions.push(...serverTools);
  if (structured) definitions.push(structured.tool);
  const last = definitions.length - 1;
  return {
    model: request.model,
    max_tokens: MAX_OUTPUT_TOKENS,
    system: [{ type: 'text', text: systemPrompt, cache_control: CACHE }],
    ...(definitions.length > 0 ? { tools: definitions.map((d, i) => (i === last ? { ...d, cache_control: CACHE } : d)) } : {}),
    ...(request.effort ? { output_config: { effort: request.effort } } : {}),
  };
}

function firstUserTurn(prompt: string, structured: StructuredOutput | null): Anthropic.ContentBlockParam[] {
  const blocks: Anthropic.ContentBlockParam[] = [{ type: 'text', text: prompt.trim() ? prompt : '(The script gave no prompt.)' }];
  if (structured) blocks.push({ type: 'text', text: structured.instructions });
  return blocks;
}

// A third breakpoint on the newest message caches the conversation so far, so each turn of a
// long loop pays only for what it added. Only the newest carries it: the API allows four.
function withMovingBreakpoint(messages: Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const last = messages.at(-1)!;
  const blocks = last.content as Anthropic.ContentBlockParam[];
  const marked = blocks.map((b, i) => (i === blocks.length - 1 ? ({ ...b, cache_control: CACHE } as Anthropic.ContentBlockParam) : b));
  return [...messages.slice(0, -1), { ...last, content: marked } as Anthropic.MessageParam];
}

/** A paused turn goes back as the conversation's last message, which may not end in whitespace. */
function withoutTrailingWhitespace(content: Anthropic.ContentBlockParam[]): Anthropic.ContentBlockParam[] {
  const last = content.at(-1);
  if (last?.type !== 'text' || last.text === last.text.trimEnd()) return content;
  return [...content.slice(0, -1), { ...last, text: last.text.trimEnd() }];
}

function finalText(message: Anthropic.Message): string {
  return message.content
    .filter((b): b is Anthropic.TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join('')
    .trim();
}
