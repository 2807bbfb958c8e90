// Workflows of installed Claude Code plugins (docs/runs.md#saved-workflows-and-schedules, `workflow('plugin:name')`, and
// `baton run plugin:name`): Claude Code records each installed plugin's folder in
// ~/.claude/plugins/installed_plugins.json; a plugin keeps its workflows in `workflows/`, or in
// the folders or files its manifest's `workflows` field names.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `plugin:name`: a plugin's name (as installed, without `@marketplace`) and a workflow's. */
const PLUGIN_REF = /^([A-Za-z0-9][\w.-]*):([a-z0-9][a-z0-9-]*)$/;

export interface PluginRef {
  plugin: string;
  name: string;
}

export function parsePluginRef(text: string): PluginRef | null {
  const match = PLUGIN_REF.exec(text);
  return match ? { plugin: match[1]!, name: match[2]! } : null;
}

export function installedPluginsFile(home: string): string {
  return join(resolve(home), '.claude', 'plugins', 'installed_plugins.json');
}

/** The install folders of the installed plugins called `plugin` (one per marketplace and scope). */
export function installedPluginDirs(plugin: string, home: string): string[] {
  return installedPlugins(home).flatMap((installed) => (installed.plugin === plugin ? [installed.dir] : []));
}

/** Every installed plugin's name and folder, in the registry's order. */
export function installedPlugins(home: string): Array<{ plugin: string; dir: string }> {
  let registry: unknown;
  try {
    registry = JSON.parse(readFileSync(installedPluginsFile(home), 'utf8'));
  } catch {
    return [];
  }
  // Version 2 keeps `{ plugins: { "name@marketplace": [ { installPath, ... } ] } }`; version 1
  // kept `{ "name@marketplace": { installPath } }` at the top.
  const record = registry as Record<string, unknown>;
  const entries = (isObject(record.plugins) ? record.plugins : record) as Record<string, unknown>;
  const found: Array<{ plugin: string; dir: string }> = [];
  for (const [id, value] of Object.entries(entries)) {
    for (const install of Array.isArray(value) ? value : [value]) {
      const path = isObject(install) ? install.installPath : undefined;
      if (typeof path === 'string' && isDirectory(path)) found.push({ plugin: id.split('@')[0]!, dir: path });
    }
  }
  return found;
}

/** Where a plugin keeps workflows: the manifest's `workflows` (folders or files), else `workflows/`. */
export function pluginWorkflowPlaces(pluginDir: string): string[] {
  let declared: unknown;
  try {
    declared = (JSON.parse(readFileSync(join(pluginDir, '.claude-plugin', 'plugin.json'), 'utf8')) as Record<string, unknown>).workflows;
  } catch {
    declared = undefined;
  }
  const listed = typeof declared === 'string' ? [declared] : Array.isArray(declared) ? declared.filter((p): p is string => typeof p === 'string') : [];
  return (listed.length > 0 ? listed : ['workflows']).map((place) => resolve(pluginDir, place));
}

/** The file `plugin:name` stands for, or null; `extensions` in the order they are tried. */
export function findPluginWorkflow(ref: PluginRef, home: string, extensions: readonly string[]): string | null {
  for (const dir of installedPluginDirs(ref.plugin, home)) {
    for (const place of pluginWorkflowPlaces(dir)) {
      // A manifest may name the script file itself.
      if (extensions.some((ext) => place.endsWith(`${ref.name}${ext}`)) && isFile(place)) return place;
      for (const ext of extensions) {
        const path = join(place, `${ref.name}${ext}`);
        if (isFile(path)) return path;
      }
    }
  }
  return null;
}

/** For messages: where `plugin:name` was looked for. */
export function pluginPlacesLookedIn(ref: PluginRef, home: string | undefined): string[] {
  if (home === undefined) return ['no home directory, so no installed Claude Code plugins'];
  const dirs = installedPluginDirs(ref.plugin, home);
  if (dirs.length === 0) return [`${installedPluginsFile(home)}: no plugin "${ref.plugin}" installed`];
  return dirs.flatMap((dir) => pluginWorkflowPlaces(dir).map((place) => `${place} (plugin ${ref.plugin})`));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
