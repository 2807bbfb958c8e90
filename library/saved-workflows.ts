// Saved workflows by name: the file stem is the name, `.js` or `.ts`; the first place that has
// a name wins (workflow-places.ts gives the order), the others are shadowed.
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { findPluginWorkflow, installedPlugins, parsePluginRef, pluginPlacesLookedIn, pluginWorkflowPlaces } from './plugin-workflows.js';
import { personalWorkflowDir, repositoryRoot, workflowDirs, WORKFLOWS_SUBDIR, type WorkflowOrigin, type WorkflowPlaces } from './workflow-places.js';

/** Within one directory `name.js` comes before `name.ts`. */
export const SCRIPT_EXTENSIONS = ['.js', '.ts'] as const;

export interface SavedWorkflowFile {
  name: string;
  path: string;
  origin: WorkflowOrigin;
}

export interface ListedWorkflowFile extends SavedWorkflowFile {
  /** The file that wins over this one, or null when this one is the one `baton run NAME` runs. */
  shadowedBy: SavedWorkflowFile | null;
}

/** Thrown when no place holds a workflow of that name. */
export class SavedWorkflowNotFound extends Error {
  override name = 'WorkflowNotFoundError';
  constructor(
    readonly workflowName: string,
    readonly lookedIn: string[],
  ) {
    super(
      `No saved workflow named "${workflowName}". Looked in:\n${lookedIn.map((place) => `  ${place}`).join('\n')}\nRun 'baton workflows' to list the saved ones.`,
    );
  }
}

/** A command-line word that can only be a name: no directory part and no script extension. */
export function looksLikeWorkflowName(text: string): boolean {
  return text !== '' && !text.startsWith('.') && !/[\\/]/.test(text) && !SCRIPT_EXTENSIONS.some((ext) => text.endsWith(ext));
}

/** The file `name` stands for, or null. */
export function findSavedWorkflow(name: string, places: WorkflowPlaces): SavedWorkflowFile | null {
  if (!looksLikeWorkflowName(name)) return null;
  // `plugin:name`: only that installed Claude Code plugin's workflows.
  const pluginRef = parsePluginRef(name);
  if (pluginRef) {
    const path = places.home === undefined ? null : findPluginWorkflow(pluginRef, places.home, SCRIPT_EXTENSIONS);
    return path ? { name, path, origin: 'plugin' } : null;
  }
  for (const { dir, origin } of workflowDirs(places)) {
    for (const ext of SCRIPT_EXTENSIONS) {
      const path = join(dir, `${name}${ext}`);
      if (isFile(path)) return { name, path, origin };
    }
  }
  return null;
}

/** Like findSavedWorkflow, but a missing name throws SavedWorkflowNotFound naming every place looked in. */
export function requireSavedWorkflow(name: string, places: WorkflowPlaces): SavedWorkflowFile {
  const found = findSavedWorkflow(name, places);
  if (!found) throw new SavedWorkflowNotFound(name, placesLookedIn(places, name));
  return found;
}

/** Every saved workflow file, by name, each name's winner first; shadowed files say what shadows them. */
export function listSavedWorkflowFiles(places: WorkflowPlaces): ListedWorkflowFile[] {
  const winners = new Map<string, SavedWorkflowFile>();
  const listed: ListedWorkflowFile[] = [];
  for (const { dir, origin } of workflowDirs(places)) {
    for (const file of scriptFilesIn(dir)) {
      const saved: SavedWorkflowFile = { ...file, origin };
      const winner = winners.get(saved.name) ?? null;
      if (!winner) winners.set(saved.name, saved);
      listed.push({ ...saved, shadowedBy: winner });
    }
  }
  // Installed plugins' workflows go by `plugin:name`, so none shadows another place's.
  if (places.home !== undefined) {
    for (const { plugin, dir } of installedPlugins(places.home)) {
      for (const place of pluginWorkflowPlaces(dir)) {
        // A manifest may name script files as well as folders.
        const named = SCRIPT_EXTENSIONS.some((ext) => place.endsWith(ext));
        const files = named ? (isFile(place) ? [{ name: basename(place, extname(place)), path: place }] : []) : scriptFilesIn(place);
        for (const file of files) {
          const saved: SavedWorkflowFile = { name: `${plugin}:${file.name}`, path: file.path, origin: 'plugin' };
          const winner = winners.get(saved.name) ?? null;
          if (!winner) winners.set(saved.name, saved);
          listed.push({ ...saved, shadowedBy: winner });
        }
      }
    }
  }
  // Stable sort: within a name, precedence order stays.
  return listed.sort((a, b) => a.name.localeCompare(b.name));
}

/** The places a lookup (of `name`, when given) covers, for messages; includes those that do not exist yet. */
export function placesLookedIn(places: WorkflowPlaces, name?: string): string[] {
  const pluginRef = name === undefined ? null : parsePluginRef(name);
  if (pluginRef) return pluginPlacesLookedIn(pluginRef, places.home);
  const start = resolve(places.cwd);
  const root = repositoryRoot(start);
  const project =
    root === null || root === start
      ? `${join(start, WORKFLOWS_SUBDIR)} (project)`
      : `${WORKFLOWS_SUBDIR}/ in ${start} and each directory up to ${root} (project)`;
  const found = workflowDirs(places);
  return [
    project,
    ...(places.home === undefined ? [] : [`${personalWorkflowDir(places.home)} (personal)`]),
    ...found.filter((d) => d.origin === 'built-in').map((d) => `${d.dir} (built-in)`),
  ];
}

function scriptFilesIn(dir: string): Array<{ name: string; path: string }> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const files: Array<{ name: string; path: string; rank: number }> = [];
  for (const entry of entries) {
    const rank = SCRIPT_EXTENSIONS.indexOf(extname(entry) as (typeof SCRIPT_EXTENSIONS)[number]);
    const name = entry.slice(0, entry.length - extname(entry).length);
    if (rank < 0 || !looksLikeWorkflowName(name) || !isFile(join(dir, entry))) continue;
    files.push({ name, path: join(dir, entry), rank });
  }
  return files.sort((a, b) => a.name.localeCompare(b.name) || a.rank - b.rank).map(({ name, path }) => ({ name, path }));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
