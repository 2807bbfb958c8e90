// The ways an agent can fail, each deciding in its type whether Temporal should retry it.
// The activity boundary (run-agent-activity.ts) is the only place these become
// ApplicationFailures; everything below it throws these classes.
import { APIError, APIConnectionError, APIUserAbortError } from '@anthropic-ai/sdk';

/** A failure no retry can fix: the agent ends as `failed` and the script sees the error. */
export class AgentFailure extends Error {
  readonly retryable = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Thrown when the agent used all its turns (`maxTurns`) without finishing. */
export class MaxTurnsExceeded extends AgentFailure {}

/** Thrown when the agent's StructuredOutput never matched the schema within the allowed attempts. */
export class SchemaValidationFailed extends AgentFailure {}

/** Thrown when the schema given to `agent()` is not a JSON Schema that can be compiled. */
export class InvalidSchema extends AgentFailure {}

/** Thrown when the workspace directory does not exist or is not a directory on this worker. */
export class WorkspaceUnavailable extends AgentFailure {}

/** Thrown when `agentType` names no known agent profile. */
export class UnknownAgentType extends AgentFailure {}

/** Thrown when a rule in the run's `allow` list is not in Claude Code's `Tool` / `Tool(specifier)` form. */
export class InvalidPermissionRule extends AgentFailure {}

/** Thrown when `isolation: 'worktree'` cannot get a git worktree (no repository, no commit, no git). */
export class WorktreeUnavailable extends AgentFailure {}

/** Thrown when the API rejects the request itself (400/401/403/404...); carries the API's message. */
export class ModelRequestRejected extends AgentFailure {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/** Thrown when the model stops with `refusal` or runs out of context window. */
export class ModelStopped extends AgentFailure {}

/** Thrown when the model is not among those the provider lists (`GET /v1/models`): named before anything is spent. */
export class UnknownModel extends AgentFailure {}

/** Thrown when the run answered a turn report with "no further turns" (its budget, a stop): the attempt ends. */
export class AgentStoppedByRun extends AgentFailure {}

/** A transient provider fault (429, 529, 5xx, a reset or stalled connection): Temporal retries the activity. */
export class ProviderFault extends Error {
  readonly retryable = true;
  constructor(
    message: string,
    /** From `retry-after-ms` / `retry-after`, when the provider said how long to wait. */
    readonly retryAfterMs: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Thrown on HTTP 429: the account is over its rate limit. */
export class ModelRateLimited extends ProviderFault {}

/** Thrown on HTTP 529 or an `overloaded_error` event: the API is overloaded. */
export class ModelOverloaded extends ProviderFault {}

/** Thrown on HTTP 5xx, 408, 409, a dropped connection or a timeout. */
export class ModelUnavailable extends ProviderFault {}

/** Thrown when a model call made no progress for the agent's `stallMs`: the call is abandoned and made again. */
export class ModelStalled extends ModelUnavailable {}

/** A tool refused or failed; the model sees it as an `is_error` tool_result and carries on. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Any thrown value as an Error, so callers never handle strings or plain objects. */
export function ensureError(e: unknown): Error {
  if (e instanceof Error) return e;
  if (typeof e === 'string') return new Error(e);
  try {
    return new Error(`Non-error thrown: ${JSON.stringify(e)}`);
  } catch {
    return new Error(`Non-error thrown: ${String(e)}`);
  }
}

const TERMINAL_ERROR_TYPES = new Set([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'billing_error',
  'request_too_large',
]);

/**
 * An SDK error as Baton's own: retryable provider faults vs requests the API will never accept.
 * Aborts and anything that is not an SDK API error are returned unchanged.
 */
export function classifyModelError(e: unknown): Error {
  const error = ensureError(e);
  if (error instanceof APIUserAbortError || !(error instanceof APIError)) return error;
  const message = error.apiMessage ?? error.message;
  const retryAfterMs = error.headers ? retryAfterMsOf(error.headers) : undefined;
  if (error instanceof APIConnectionError) {
    return new ModelUnavailable(`Connection to the model API failed: ${error.message}`, undefined, { cause: error });
  }
  const status = error.status;
  if (status === 429 || error.type === 'rate_limit_error') {
    return new ModelRateLimited(`Rate limited by the model API: ${message}`, retryAfterMs, { cause: error });
  }
  if (status === 529 || error.type === 'overloaded_error') {
    return new ModelOverloaded(`The model API is overloaded: ${message}`, retryAfterMs, { cause: error });
  }
  if (status === undefined ? !TERMINAL_ERROR_TYPES.has(error.type ?? '') : status >= 500 || status === 408 || status === 409) {
    return new ModelUnavailable(`The model API failed${status ? ` (${status})` : ''}: ${message}`, retryAfterMs, {
      cause: error,
    });
  }
  return new ModelRequestRejected(`The model API rejected the request${status ? ` (${status})` : ''}: ${message}`, status);
}

/** `retry-after-ms` (non-standard, preferred) or `retry-after` (seconds or an HTTP date), in ms. */
export function retryAfterMsOf(headers: Headers): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
