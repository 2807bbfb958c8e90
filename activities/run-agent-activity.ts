// The `runAgent` activity: the agent loop inside Temporal. This file is the one place where
// Baton's errors become ApplicationFailures, so retry behaviour is decided here and only here.
import Anthropic from '@anthropic-ai/sdk';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { PROVIDER_BACKOFF_SIGNAL, type AgentOutcome, type AgentRequest, type ProviderBackoff } from '../contract/run-types.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { CheckpointSlots } from '../storage/checkpoint-slots.js';
import { loadAgentCatalog, type CatalogActivities } from './agent-catalog.js';
import { CheckpointRecorder } from './agent-checkpoint-recorder.js';
import { ensureError, ProviderFault, UnknownModel } from './agent-errors.js';
import { runAgentLoop } from './agent-loop.js';
import type { InterruptedSpend } from './agent-progress.js';
import { createModelFetch } from './model-fetch.js';
import { FreshListing, type ModelListing } from './provider-models.js';
import type { AnthropicAccess } from './anthropic-access.js';
import type { ProviderModel } from '../contract/provider-aliases.js';
import { createNotifyActivities, type NotifyActivities } from './send-notification.js';
import { DEFAULT_PROVIDER_RETRY, type ProviderRetryPolicy, type ProviderWait } from './provider-retry.js';
import type { RepoCache } from './repo-cache.js';
import { TurnReports } from './turn-reports.js';

export type { AnthropicAccess };

export interface ActivitiesConfig {
  anthropic: AnthropicAccess;
  /**
   * Holds agent checkpoints too big to heartbeat inline. It must be shared by every worker that
   * may retry an agent; without one, a big checkpoint is skipped and a retry resumes from the
   * last one that fitted inline (or starts over).
   */
  blobStore?: BlobStore;
  /**
   * Where each completed turn's checkpoint reference is written before the next model call, so
   * a worker killed before its last heartbeat reached Temporal still loses no completed turn.
   * Shared by every worker that may retry an agent, like the blob store.
   */
  checkpointSlots?: CheckpointSlots;
  /** Overrides of DEFAULT_PROVIDER_RETRY, e.g. shorter waits in tests. */
  providerRetry?: Partial<ProviderRetryPolicy>;
  /**
   * The model ids the provider lists (`GET /v1/models`, read by the worker at start); an agent on
   * any other fails before its first call, naming it. Absent: the provider lists none, every id is tried.
   */
  knownModels?: ReadonlySet<string>;
  /**
   * The listing the worker read at start (`GET /v1/models`, with release dates): a run's listModels
   * takes it while it is fresh (MODEL_LISTING_FRESH_MS) instead of asking the provider again.
   */
  providerModels?: ModelListing;
  /** How long a listing stands for new runs (default MODEL_LISTING_FRESH_MS); 0: every run lists. */
  modelListingFreshMs?: number;
  /** The worker's cache of `--repo` runs' repositories ($BATON_HOME/repos for `baton worker`); absent: such agents fail. */
  repos?: RepoCache;
}

export interface BatonActivities extends NotifyActivities, CatalogActivities {
  runAgent(request: AgentRequest): Promise<AgentOutcome>;
  /** The provider's models (`GET /v1/models`), once per run at its start; null where it lists none. */
  listModels(): Promise<ProviderModel[] | null>;
}

export function createActivities(config: ActivitiesConfig): BatonActivities {
  // One client per worker: it holds the connection pool every concurrent agent shares. Its own
  // retries are off: they would not honour a long retry-after, heartbeat or tell the workflow.
  const client = new Anthropic({
    apiKey: config.anthropic.apiKey,
    baseURL: config.anthropic.baseURL,
    maxRetries: 0,
    fetch: createModelFetch(),
  });
  const policy: ProviderRetryPolicy = { ...DEFAULT_PROVIDER_RETRY, ...config.providerRetry };
  const turnReports = new TurnReports();
  const listing = new FreshListing(config.anthropic, config.providerModels, config.modelListingFreshMs);

  return {
    // `--notify`: the URLs sit in the same blob store as big payloads (send-notification.ts).
    ...createNotifyActivities(config.blobStore),
    listModels: () => listing.current(),
    // The agent types a run may name, read from its checkout once at its start.
    loadAgentCatalog: (request) => loadAgentCatalog(request, { repos: config.repos, blobStore: config.blobStore }),
    async runAgent(request: AgentRequest): Promise<AgentOutcome> {
      const context = Context.current();
      const warn = (message: string) => context.log.warn(message, { runId: request.runId, agentId: request.agentId });
      const reports = turnReports;
      if (config.knownModels && !config.knownModels.has(request.model)) throw unknownModel(request.model, config.knownModels);
      const workflowId = context.info.workflowExecution?.workflowId ?? request.runId;
      const attemptKey = `${context.info.activityId}/${context.info.attempt}`;
      const temporal = workerClient(context);
      // docs/script-language.md#agent-options `timeout` bounds the agent, all attempts together (the activity's schedule-to-close):
      // past it Temporal gives the agent up, and this attempt stops its model call too.
      const signal = withDeadline(context.cancellationSignal, context.info.scheduledTimestampMs, context.info.scheduleToCloseTimeoutMs);
      let outcome: AgentOutcome;
      let checkpoints: CheckpointRecorder | undefined;
      let interrupted: InterruptedSpend | undefined;
      try {
        // Only a retry carries heartbeat details: the checkpoint the previous attempt left.
        const earlier = context.info.attempt > 1 ? context.info.heartbeatDetails : undefined;
        const name = slotName(context.info);
        const slot = config.checkpointSlots && name ? { slots: config.checkpointSlots, name, retry: context.info.attempt > 1 } : undefined;
        const recorder = await CheckpointRecorder.restore(earlier, config.blobStore, warn, slot);
        checkpoints = recorder;
        outcome = await runAgentLoop(request, {
          client,
          heartbeat: (progress) => context.heartbeat(recorder.details(progress)),
          signal,
          repos: config.repos,
          snapshotStore: config.blobStore,
          checkpoints: recorder,
          onInterrupted: (spent) => (interrupted = spent),
          providerRetry: { policy, onWait: (wait) => announceWait(context, request, wait) },
          ...(temporal ? { reportTurn: (turn) => reports.report(temporal, workflowId, { ...turn, agentId: request.agentId, attemptKey }, signal) } : {}),
        });
      } catch (e) {
        throw toRetryableFailure(ensureError(e), signal, interrupted);
      }
      // Ended either way: no attempt will resume this conversation.
      await checkpoints?.close();
      if (outcome.status === 'failed') {
        // Terminal: retrying cannot help. The partial outcome rides along so the workflow can
        // still count the tokens this agent spent.
        throw ApplicationFailure.create({
          type: outcome.error?.type ?? 'AgentFailure',
          message: outcome.error?.message ?? 'The agent failed.',
          nonRetryable: true,
          details: [outcome],
        });
      }
      return outcome;
    },
  };
}

function unknownModel(model: string, known: ReadonlySet<string>): ApplicationFailure {
  const error = new UnknownModel(
    `The provider does not offer the model "${model}" (it lists ${[...known].sort().join(', ')}). ` +
      `Use one of those, or map an alias to it under models.aliases in the config file.`,
  );
  return ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true });
}

/** The worker's Temporal client, through which turns are reported; null where the activity runs without one (unit tests). */
function workerClient(context: Context): Client | null {
  try {
    return context.client;
  } catch {
    return null;
  }
}

/** The activity's cancellation, or its schedule-to-close deadline passing, whichever comes first. */
function withDeadline(cancelled: AbortSignal, scheduledAtMs: number, scheduleToCloseMs: number): AbortSignal {
  const left = scheduledAtMs + scheduleToCloseMs - Date.now();
  // Past already (a skewed clock): Temporal's own timeout still ends the agent.
  if (!(scheduleToCloseMs > 0) || !(left > 0)) return cancelled;
  return AbortSignal.any([cancelled, AbortSignal.timeout(left)]);
}

/** Logs a provider wait; a rate limit or overload also holds back the run's agents not yet started. */
function announceWait(context: Context, request: AgentRequest, wait: ProviderWait): void {
  const meta = { runId: request.runId, agentId: request.agentId, reason: wait.reason, attempt: wait.attempt, delayMs: wait.delayMs };
  context.log.warn(`${wait.error.message} Retrying in ${(wait.delayMs / 1000).toFixed(1)} s.`, meta);
  if (wait.reason === 'unavailable') return;
  const backoff: ProviderBackoff = { untilMs: wait.untilMs, reason: wait.reason, agentId: request.agentId };
  const failed = (e: unknown) => context.log.warn(`Could not tell the run to hold back new agents: ${ensureError(e).message}`, meta);
  // Best effort: the wait itself is what keeps this agent out of the limit.
  try {
    const workflowId = context.info.workflowExecution?.workflowId ?? request.runId;
    context.client.workflow.getHandle(workflowId).signal(PROVIDER_BACKOFF_SIGNAL, backoff).catch(failed);
  } catch (e) {
    failed(e);
  }
}

function toRetryableFailure(error: Error, signal: AbortSignal, interrupted: InterruptedSpend | undefined): Error {
  if (signal.aborted) {
    // Cancelled by the run (a stop, a budget ceiling): what this attempt spent rides in the
    // cancellation's details, which the run waits for before it closes (workflows/agent-runner.ts).
    const reason = signal.reason as Error | undefined;
    if (reason instanceof CancelledFailure && interrupted) return new CancelledFailure(reason.message, [interrupted]);
    return reason ?? error;
  }
  if (error instanceof ProviderFault) {
    return ApplicationFailure.create({
      type: error.name,
      message: error.message,
      nonRetryable: false,
      // Honour the provider's retry-after instead of the policy's backoff, so a rate limit
      // delays this agent rather than sending it straight back into the limit.
      ...(error.retryAfterMs !== undefined ? { nextRetryDelay: Math.max(1, Math.ceil(error.retryAfterMs)) } : {}),
      cause: error,
    });
  }
  // An unexpected fault (a bug, the filesystem): Temporal's retry policy decides.
  return error;
}

/** One slot per activity of a run: retries of the same agent share it, nothing else does. */
function slotName(info: { workflowExecution?: { workflowId: string; runId: string }; activityId: string }): string | undefined {
  const run = info.workflowExecution;
  return run && `${run.workflowId}/${run.runId}/${info.activityId}`;
}
