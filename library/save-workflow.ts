// `baton save`: a run's script source written as a named workflow, in the project's
// `.claude/workflows/` or the personal one. Never overwrites without being told to.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSavedWorkflow, SCRIPT_EXTENSIONS, type SavedWorkflowFile } from './saved-workflows.js';
import { personalWorkflowDir, projectSaveDir, type WorkflowPlaces } from './workflow-places.js';

/** A saved workflow's name: kebab-case (a meta.name's slug is), so the name and the file stem can agree. */
export { KEBAB_CASE as WORKFLOW_NAME } from '../contract/script-name.js';
import { KEBAB_CASE as WORKFLOW_NAME } from '../contract/script-name.js';

/** Thrown when the target file exists and overwriting was not asked for, or the name is not usable. */
export class SaveRefused extends Error {
  override name = 'SaveRefused';
}

export interface SaveRequest {
  source: string;
  name: string;
  /** The original file's name: a TypeScript script is saved as `.ts`, anything else as `.js`. */
  originalFileName: string;
  personal: boolean;
  force: boolean;
  places: WorkflowPlaces;
}

export interface SaveOutcome {
  path: string;
  where: 'project' | 'personal';
  replaced: boolean;
  /** The workflow of that name that `baton run NAME` ran before, now shadowed by the saved one. */
  shadows: SavedWorkflowFile | null;
  /** A workflow that still wins over the saved one (a project workflow over a personal save). */
  shadowedBy: SavedWorkflowFile | null;
}

export function saveWorkflow(request: SaveRequest): SaveOutcome {
  const { name, places } = request;
  if (!WORKFLOW_NAME.test(name)) {
    throw new SaveRefused(
      `Cannot save as ${JSON.stringify(name)}: a workflow name is lowercase letters, digits and dashes, like 'review-changes'. Pick one with --name.`,
    );
  }
  if (request.personal && places.home === undefined) throw new SaveRefused('Cannot save a personal workflow: HOME is not set.');
  const dir = request.personal ? personalWorkflowDir(places.home!) : projectSaveDir(places.cwd, places.home);
  const extension = /\.[cm]?tsx?$/.test(request.originalFileName) ? '.ts' : '.js';
  const path = join(dir, `${name}${extension}`);

  const other = SCRIPT_EXTENSIONS.map((ext) => join(dir, `${name}${ext}`)).find((p) => p !== path && existsSync(p));
  if (other) throw new SaveRefused(`${other} already holds a workflow named ${name}. Remove it, or save under another --name.`);
  const replaced = existsSync(path);
  if (replaced && !request.force) throw new SaveRefused(`${path} already exists. Pass --force to overwrite it, or save under another --name.`);

  const before = findSavedWorkflow(name, places);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, request.source);
  const after = findSavedWorkflow(name, places);
  return {
    path,
    where: request.personal ? 'personal' : 'project',
    replaced,
    shadows: before && before.path !== path && after?.path === path ? before : null,
    shadowedBy: after && after.path !== path ? after : null,
  };
}
