// What `baton workflows` lists: every saved workflow with its meta, where it comes from, and
// which ones are shadowed by a workflow of the same name in a place that wins.
import { compileScriptFile, formatDiagnostic } from '../compiler/index.js';
import { listSavedWorkflowFiles } from './saved-workflows.js';
import type { WorkflowOrigin, WorkflowPlaces } from './workflow-places.js';

export interface WorkflowEntry {
  name: string;
  /** meta.description, or null when the file does not compile. */
  description: string | null;
  whenToUse: string | null;
  phases: string[];
  from: WorkflowOrigin;
  path: string;
  /** The path of the file that wins over this one; null for the one `baton run NAME` runs. */
  shadowedBy: string | null;
  /** The first compile error, when the file does not compile (it cannot be run until fixed). */
  error: string | null;
}

export async function describeWorkflows(places: WorkflowPlaces): Promise<WorkflowEntry[]> {
  return Promise.all(
    listSavedWorkflowFiles(places).map(async (file): Promise<WorkflowEntry> => {
      const entry: WorkflowEntry = {
        name: file.name,
        description: null,
        whenToUse: null,
        phases: [],
        from: file.origin,
        path: file.path,
        shadowedBy: file.shadowedBy?.path ?? null,
        error: null,
      };
      try {
        const result = await compileScriptFile(file.path);
        if (!result.ok) return { ...entry, error: result.errors.map(formatDiagnostic)[0] ?? 'does not compile' };
        const { meta } = result.script;
        return { ...entry, description: meta.description, whenToUse: meta.whenToUse ?? null, phases: (meta.phases ?? []).map((p) => p.title) };
      } catch (error) {
        return { ...entry, error: `${file.path}: ${(error as Error).message}` };
      }
    }),
  );
}
