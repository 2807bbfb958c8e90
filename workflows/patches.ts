// Every patch id the interpreter asks `patched()` about, in one place: each marks a change to the
// commands a run issues, so a run recorded before it replays as it ran (docs/design.md, and the
// fixtures under test/fixtures/histories/). An id, once released, is never renamed or reused.

/** Search attributes kept current: runs from before replay without the upserts. */
export const VISIBILITY_PATCH = 'baton-run-visibility';
/** Continue-as-new on Temporal's suggestion: runs from before never act on it. */
export const CONTINUE_AS_NEW_PATCH = 'baton-continue-as-new';
/** A cancelled agent is waited for: runs from before went on at once. */
export const WAIT_FOR_CANCELLED_AGENTS_PATCH = 'baton-wait-for-cancelled-agents';
/** Unknown agent() options are ignored: runs from before failed the call on the first one. */
export const IGNORE_UNKNOWN_AGENT_OPTIONS_PATCH = 'baton-ignore-unknown-agent-options';
/** An approve() still waiting across continue-as-new goes on: runs from before asked again. */
export const CARRIED_WAIT_PATCH = 'baton-approval-carried-wait';
/** Model family aliases from the provider's list: runs from before listed nothing at their start. */
export const PROVIDER_ALIASES_PATCH = 'baton-provider-model-aliases';
/** setTimeout/setInterval in the script: runs from before had no timers. */
export const SCRIPT_TIMERS_PATCH = 'baton-script-timers';
/** Intl in the script: runs from before had none (toLocaleString gave plain digits). */
export const SCRIPT_INTL_PATCH = 'baton-script-intl';
/** Agent types read once, by an activity: runs from before sent the type's name to each agent. */
export const AGENT_CATALOG_PATCH = 'baton-agent-catalog';
/** Claude Code's error names, throwing schema and pipeline() null (claude-code-semantics.ts). */
export const CLAUDE_CODE_SEMANTICS_PATCH = 'baton-claude-code-semantics';

/** Ids whose answer no longer matters but that are still asked, so their runs replay (none yet). */
export const RETIRED_PATCH_IDS: readonly string[] = [];

/** All of them, for the test that checks every recorded marker is still known. */
export const PATCH_IDS: readonly string[] = [
  VISIBILITY_PATCH,
  CONTINUE_AS_NEW_PATCH,
  WAIT_FOR_CANCELLED_AGENTS_PATCH,
  IGNORE_UNKNOWN_AGENT_OPTIONS_PATCH,
  CARRIED_WAIT_PATCH,
  PROVIDER_ALIASES_PATCH,
  SCRIPT_TIMERS_PATCH,
  SCRIPT_INTL_PATCH,
  AGENT_CATALOG_PATCH,
  CLAUDE_CODE_SEMANTICS_PATCH,
];
