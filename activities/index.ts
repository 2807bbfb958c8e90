// The activities a Baton worker registers. Workflows import this module by type only.
export { createActivities, type ActivitiesConfig, type AnthropicAccess, type BatonActivities } from './run-agent-activity.js';
export { runAgentLoop, DEFAULT_MAX_TURNS, type AgentLoopDeps } from './agent-loop.js';
export * from './agent-errors.js';
export { parsePermissionRule, Permissions, type PermissionRule } from './permissions.js';
export { worktreeBranch } from './worktree.js';
export { INLINE_CHECKPOINT_MAX_CHARS, type CheckpointRef, type HeartbeatDetails } from './agent-checkpoint.js';
