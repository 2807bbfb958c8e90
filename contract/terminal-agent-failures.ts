// The activity's failures no retry can fix, by name (activities/agent-errors.ts and
// activities/repo-cache.ts define them as AgentFailure classes). The workflow cannot import those
// classes (they load Node modules), so it lists them here for its retry policy;
// test/unit/terminal-agent-failures.test.ts keeps this list and the classes the same.
export const TERMINAL_AGENT_FAILURES = [
  'AgentFailure',
  'MaxTurnsExceeded',
  'SchemaValidationFailed',
  'InvalidSchema',
  'WorkspaceUnavailable',
  'UnknownAgentType',
  'InvalidPermissionRule',
  'WorktreeUnavailable',
  'ModelRequestRejected',
  'ModelStopped',
  'UnknownModel',
  'AgentStoppedByRun',
  'PinnedCommitMissing',
  'BranchPushFailed',
];
