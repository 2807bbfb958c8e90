// Claude Code's runtime semantics a script can see (docs/claude-code-differences.md): the agent
// cap's and the budget's error names, agent({ schema }) throwing once its retries are used up,
// and a pipeline() stage's null ending that item's chain. One patch for all three: a run recorded
// before them saw Baton's names, a null from an exhausted schema and every stage run, and a
// script may have branched on any of it, so it replays so (CLAUDE_CODE_SEMANTICS_PATCH, patches.ts).

/** The error agent({ schema }) throws when every StructuredOutput attempt failed validation. */
export const SCHEMA_RETRIES_ERROR = 'StructuredOutputRetryError';

/** Claude Code's message shape, then Baton's own (which says what failed last and what to do). */
export function schemaRetriesMessage(attempts: number, cause: string): string {
  return `agent({schema}): StructuredOutput retry cap (${attempts}) exceeded. ${cause}`;
}
