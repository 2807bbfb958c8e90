// `plugin:name` finds a workflow of an installed Claude Code plugin (docs/runs.md#saved-workflows-and-schedules, workflow()).
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSavedWorkflow, listSavedWorkflowFiles, requireSavedWorkflow } from '../../library/saved-workflows.js';
import { parsePluginRef } from '../../library/plugin-workflows.js';
import { tempDir } from '../harness/temp-dir.js';

/** A home with Claude Code's plugin registry listing `plugins` (name → its folder). */
function homeWith(plugins: Record<string, string>, version: 1 | 2 = 2): string {
  const home = tempDir('baton-plugin-home-');
  mkdirSync(join(home, '.claude', 'plugins'), { recursive: true });
  const entries = Object.fromEntries(
    Object.entries(plugins).map(([id, dir]) => [id, version === 2 ? [{ scope: 'user', installPath: dir, version: '1.0.0' }] : { installPath: dir }]),
  );
  writeFileSync(join(home, '.claude', 'plugins', 'installed_plugins.json'), JSON.stringify(version === 2 ? { version: 2, plugins: entries } : entries));
  return home;
}

function pluginDir(files: Record<string, string>): string {
  const dir = tempDir('baton-plugin-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('plugin workflows', () => {
  const acme = pluginDir({ 'workflows/audit.js': '// audit', 'workflows/notes.txt': 'x' });
  const tools = pluginDir({
    '.claude-plugin/plugin.json': JSON.stringify({ name: 'tools', workflows: ['flows', 'extra/one-off.ts'] }),
    'flows/lint.js': '//',
    'extra/one-off.ts': '//',
  });

  it.each([1, 2] as const)("finds a plugin's workflows/ file by plugin:name (registry version %i)", (version) => {
    const home = homeWith({ 'acme@market': acme }, version);
    expect(findSavedWorkflow('acme:audit', { cwd: tmpdir(), home })).toEqual({ name: 'acme:audit', path: join(acme, 'workflows/audit.js'), origin: 'plugin' });
  });

  it("follows the manifest's workflows field: folders and files", () => {
    const home = homeWith({ 'tools@other': tools });
    expect(findSavedWorkflow('tools:lint', { cwd: tmpdir(), home })?.path).toBe(join(tools, 'flows/lint.js'));
    expect(findSavedWorkflow('tools:one-off', { cwd: tmpdir(), home })?.path).toBe(join(tools, 'extra/one-off.ts'));
  });

  it('an unknown plugin or workflow is not found, and the error says where it looked', () => {
    const home = homeWith({ 'acme@market': acme });
    expect(findSavedWorkflow('acme:notes', { cwd: tmpdir(), home })).toBeNull();
    expect(() => requireSavedWorkflow('acme:nope', { cwd: tmpdir(), home })).toThrow(`${join(acme, 'workflows')} (plugin acme)`);
    expect(() => requireSavedWorkflow('ghost:audit', { cwd: tmpdir(), home })).toThrow('no plugin "ghost" installed');
  });

  it('baton workflows lists them as plugin:name', () => {
    const home = homeWith({ 'acme@market': acme, 'tools@other': tools });
    const listed = listSavedWorkflowFiles({ cwd: tmpdir(), home, builtinDir: join(tmpdir(), 'no-builtins') }).filter((file) => file.origin === 'plugin');
    expect(listed.map((file) => [file.name, file.path])).toEqual([
      ['acme:audit', join(acme, 'workflows/audit.js')],
      ['tools:lint', join(tools, 'flows/lint.js')],
      ['tools:one-off', join(tools, 'extra/one-off.ts')],
    ]);
  });

  it.each([
    ['acme:audit', { plugin: 'acme', name: 'audit' }],
    ['audit', null],
    ['a:b:c', null],
    ['acme:', null],
  ])('parses %s', (text, ref) => {
    expect(parsePluginRef(text)).toEqual(ref);
  });
});
