// Saved-workflow lookup (docs/runs.md#saved-workflows-and-schedules) on real directories: a fake repository, a fake HOME and a
// fake built-in folder, so precedence is checked the way a user's machine lays it out.
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir.js';
import { resolveScriptArgument } from '../../cli/script-argument.js';
import { CompileError } from '../../compiler/index.js';
import { loadScriptRef } from '../../library/load-script-ref.js';
import { findSavedWorkflow, listSavedWorkflowFiles, looksLikeWorkflowName, placesLookedIn, SavedWorkflowNotFound } from '../../library/saved-workflows.js';
import { SaveRefused, saveWorkflow } from '../../library/save-workflow.js';
import { projectSaveDir, repositoryRoot, type WorkflowPlaces } from '../../library/workflow-places.js';

let root: string;
let repo: string;
let home: string;
let builtin: string;

function script(name: string, description = `the ${name} workflow`): string {
  return `export const meta = { name: '${name}', description: '${description}' }\nreturn '${description}'\n`;
}

function put(path: string, text = script('x')): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function places(cwd: string): WorkflowPlaces {
  return { cwd, home, builtinDir: builtin };
}

beforeEach(() => {
  root = realpathSync(tempDir('baton-lookup-'));
  repo = join(root, 'repo');
  home = join(root, 'home');
  builtin = join(root, 'builtin');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'src', 'deep'), { recursive: true });
  mkdirSync(home, { recursive: true });
  mkdirSync(builtin, { recursive: true });
});

describe('lookup precedence', () => {
  it('a project workflow shadows a personal one, which shadows a built-in one', () => {
    const project = put(join(repo, '.claude/workflows/audit.js'));
    const personal = put(join(home, '.claude/workflows/audit.js'));
    const shipped = put(join(builtin, 'audit.js'));
    expect(findSavedWorkflow('audit', places(join(repo, 'src')))).toEqual({ name: 'audit', path: project, origin: 'project' });

    const listed = listSavedWorkflowFiles(places(join(repo, 'src')));
    expect(listed.map((f) => [f.origin, f.path, f.shadowedBy?.path ?? null])).toEqual([
      ['project', project, null],
      ['personal', personal, project],
      ['built-in', shipped, project],
    ]);
  });

  it('a personal workflow shadows a built-in one; built-ins come last', () => {
    const personal = put(join(home, '.claude/workflows/review-changes.ts'));
    put(join(builtin, 'review-changes.js'));
    const onlyBuiltin = put(join(builtin, 'judge-panel.js'));
    expect(findSavedWorkflow('review-changes', places(repo))?.path).toBe(personal);
    expect(findSavedWorkflow('judge-panel', places(repo))).toEqual({ name: 'judge-panel', path: onlyBuiltin, origin: 'built-in' });
  });

  it('the closest .claude/workflows between the working directory and the repository root wins', () => {
    const atRoot = put(join(repo, '.claude/workflows/audit.js'));
    const closer = put(join(repo, 'src/.claude/workflows/audit.js'));
    put(join(repo, 'src/.claude/workflows/only-here.js'));
    const rootOnly = put(join(repo, '.claude/workflows/root-only.js'));
    const from = places(join(repo, 'src', 'deep'));
    expect(findSavedWorkflow('audit', from)?.path).toBe(closer);
    // Names the closer directory lacks still come from farther up.
    expect(findSavedWorkflow('root-only', from)?.path).toBe(rootOnly);
    const audit = listSavedWorkflowFiles(from).filter((f) => f.name === 'audit');
    expect(audit.map((f) => [f.path, f.shadowedBy?.path ?? null])).toEqual([
      [closer, null],
      [atRoot, closer],
    ]);
    // From the root, the subdirectory's workflows are not visible.
    expect(findSavedWorkflow('only-here', places(repo))).toBeNull();
  });

  it('stops at the repository root: a .claude/workflows above it is not the project', () => {
    put(join(root, '.claude/workflows/outside.js'));
    expect(findSavedWorkflow('outside', places(join(repo, 'src')))).toBeNull();
    expect(repositoryRoot(join(repo, 'src', 'deep'))).toBe(repo);
  });

  it('outside a repository only the working directory is the project', () => {
    const plain = join(root, 'plain', 'sub');
    mkdirSync(plain, { recursive: true });
    put(join(root, 'plain/.claude/workflows/parent.js'));
    const here = put(join(plain, '.claude/workflows/here.js'));
    expect(findSavedWorkflow('here', places(plain))?.path).toBe(here);
    expect(findSavedWorkflow('parent', places(plain))).toBeNull();
  });

  it('the file stem is the name; .js wins over .ts in one directory; other files are ignored', () => {
    const js = put(join(repo, '.claude/workflows/twin.js'));
    const ts = put(join(repo, '.claude/workflows/twin.ts'));
    put(join(repo, '.claude/workflows/notes.md'), '# not a workflow');
    put(join(repo, '.claude/workflows/.hidden.js'));
    expect(findSavedWorkflow('twin', places(repo))?.path).toBe(js);
    const listed = listSavedWorkflowFiles(places(repo));
    expect(listed.map((f) => [f.name, f.path, f.shadowedBy?.path ?? null])).toEqual([
      ['twin', js, null],
      ['twin', ts, js],
    ]);
  });

  it('without HOME there are no personal workflows', () => {
    put(join(home, '.claude/workflows/mine.js'));
    expect(findSavedWorkflow('mine', { cwd: repo, home: undefined, builtinDir: builtin })).toBeNull();
    expect(findSavedWorkflow('mine', places(repo))?.origin).toBe('personal');
  });

  it('a repository rooted at HOME does not count the personal directory twice', () => {
    mkdirSync(join(home, '.git'));
    put(join(home, '.claude/workflows/dot.js'));
    const listed = listSavedWorkflowFiles({ cwd: home, home, builtinDir: builtin });
    expect(listed.map((f) => f.origin)).toEqual(['personal']);
  });

  it.each([
    ['review-changes', true],
    ['audit2', true],
    ['./audit', false],
    ['audit.js', false],
    ['dir/audit', false],
    ['.hidden', false],
  ])('%j looks like a name: %s', (text, expected) => {
    expect(looksLikeWorkflowName(text)).toBe(expected);
  });

  it('a missing name says where it looked', () => {
    const looked = placesLookedIn(places(join(repo, 'src')));
    expect(looked[0]).toContain(`in ${join(repo, 'src')} and each directory up to ${repo}`);
    expect(looked[1]).toBe(`${join(home, '.claude/workflows')} (personal)`);
    expect(looked[2]).toBe(`${builtin} (built-in)`);
  });
});

describe('baton run SCRIPT_OR_NAME', () => {
  it('an existing file wins over a saved workflow of the same name', () => {
    put(join(repo, '.claude/workflows/audit.js'));
    const local = put(join(repo, 'audit'), script('audit'));
    const resolved = resolveScriptArgument('audit', places(repo));
    expect(resolved).toEqual({ path: local, ref: { scriptPath: local }, origin: null });
  });

  it('resolves a saved name, by name', () => {
    const saved = put(join(home, '.claude/workflows/audit.js'));
    expect(resolveScriptArgument('audit', places(repo))).toEqual({ path: saved, ref: { name: 'audit' }, origin: 'personal' });
  });

  it('an unknown name is a usage error listing the places and baton workflows', () => {
    expect(() => resolveScriptArgument('nope', places(repo))).toThrow(
      /no such script file, and no saved workflow by that name[\s\S]*\(personal\)[\s\S]*baton workflows/,
    );
    expect(() => resolveScriptArgument('./nope.js', places(repo))).toThrow('./nope.js: no such script file.');
  });

  it('loadScriptRef compiles a saved workflow as the files are now', async () => {
    const path = put(join(repo, '.claude/workflows/audit.js'), script('audit', 'first'));
    expect((await loadScriptRef({ name: 'audit' }, places(repo))).meta.description).toBe('first');
    writeFileSync(path, script('audit', 'second'));
    const again = await loadScriptRef({ name: 'audit' }, places(repo));
    expect(again.meta.description).toBe('second');
    expect(again.source).toBe(script('audit', 'second'));
    await expect(loadScriptRef({ name: 'gone' }, places(repo))).rejects.toBeInstanceOf(SavedWorkflowNotFound);
    writeFileSync(path, 'export const meta = { name: 1 }\n');
    await expect(loadScriptRef({ name: 'audit' }, places(repo))).rejects.toBeInstanceOf(CompileError);
  });
});

describe('saveWorkflow', () => {
  const save = (overrides: Partial<Parameters<typeof saveWorkflow>[0]> = {}) =>
    saveWorkflow({
      source: script('audit'),
      name: 'audit',
      originalFileName: '/tmp/audit.js',
      personal: false,
      force: false,
      places: places(join(repo, 'src')),
      ...overrides,
    });

  it('creates .claude/workflows at the repository root when no project directory exists', () => {
    const saved = save();
    expect(saved.path).toBe(join(repo, '.claude/workflows/audit.js'));
    expect(readFileSync(saved.path, 'utf8')).toBe(script('audit'));
    expect(saved).toMatchObject({ where: 'project', replaced: false, shadows: null, shadowedBy: null });
  });

  it('uses the nearest existing project directory', () => {
    mkdirSync(join(repo, 'src/.claude/workflows'), { recursive: true });
    expect(projectSaveDir(join(repo, 'src', 'deep'))).toBe(join(repo, 'src/.claude/workflows'));
    expect(save().path).toBe(join(repo, 'src/.claude/workflows/audit.js'));
  });

  it('refuses to overwrite without --force, and overwrites with it', () => {
    save();
    expect(() => save({ source: script('audit', 'v2') })).toThrow(SaveRefused);
    expect(() => save({ source: script('audit', 'v2') })).toThrow(/already exists. Pass --force/);
    const forced = save({ source: script('audit', 'v2'), force: true });
    expect(forced.replaced).toBe(true);
    expect(readFileSync(forced.path, 'utf8')).toContain('v2');
  });

  it('saves personal workflows under HOME, keeps .ts, and says what shadows what', () => {
    const builtinOne = put(join(builtin, 'audit.js'));
    const personal = save({ personal: true, originalFileName: 'audit.ts' });
    expect(personal.path).toBe(join(home, '.claude/workflows/audit.ts'));
    expect(personal.shadows?.path).toBe(builtinOne);
    const project = save();
    expect(project.shadows?.path).toBe(personal.path);
    const second = save({ personal: true, originalFileName: 'audit.ts', force: true });
    expect(second.shadowedBy?.path).toBe(project.path);
  });

  it('refuses a name that is not a workflow name, and a twin with the other extension', () => {
    expect(() => save({ name: 'Bad Name' })).toThrow(/lowercase letters, digits and dashes/);
    put(join(repo, '.claude/workflows/audit.ts'));
    expect(() => save({ force: true })).toThrow(/audit.ts already holds a workflow named audit/);
  });
});
