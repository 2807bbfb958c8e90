// How a script is named (a saved workflow's name or a file) and where a name is looked up: shared
// by runs, schedules and nested workflows. Pure types.

/** A script by saved-workflow name, or by absolute file path. */
export type ScriptRef = { name: string } | { scriptPath: string };

/** Where a name is looked up, as the user who created the schedule saw it (docs/runs.md#saved-workflows-and-schedules). */
export interface ScriptLookup {
  /** The directory project workflows are searched up from. */
  cwd: string;
  /** The home directory personal workflows (`~/.claude/workflows/`) are read from; null for none. */
  home: string | null;
}
