// The workflows shipped with Baton: each compiles, is named after its file, declares its phases
// (every phase an agent names is one of them), and says when to use it.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileScriptFile } from '../../compiler/index.js';
import { builtinWorkflowsDir } from '../../library/builtin-dir.js';
import { findSavedWorkflow } from '../../library/saved-workflows.js';

const dir = builtinWorkflowsDir();
const files = readdirSync(dir).filter((f) => f.endsWith('.js'));

describe('built-in workflows', () => {
  it('ship the five docs/runs.md promises', () => {
    expect(files.map((f) => f.replace(/\.js$/, '')).sort()).toEqual(['adversarial-verify', 'cleanup', 'deep-research', 'judge-panel', 'review-changes']);
  });

  it.each(files)('%s compiles, is named after its file, and declares every phase it uses', async (file) => {
    const path = join(dir, file);
    const result = await compileScriptFile(path);
    if (!result.ok) throw new Error(result.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
    expect(result.warnings).toEqual([]);
    const { meta } = result.script;
    expect(meta.name).toBe(file.replace(/\.js$/, ''));
    expect(meta.whenToUse, 'whenToUse tells a user (and a planner) when to reach for it').toBeTruthy();
    const declared = (meta.phases ?? []).map((p) => p.title);
    expect(declared.length).toBeGreaterThan(0);
    const used = [...readFileSync(path, 'utf8').matchAll(/phase: '([^']+)'/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const title of used) expect(declared).toContain(title);
    // Every declared phase has agents: a phase nobody runs in is noise in status.
    for (const title of declared) expect(used).toContain(title);
  });

  it('are found by name after project and personal workflows', () => {
    const found = findSavedWorkflow('deep-research', { cwd: '/', home: undefined });
    expect(found).toEqual({ name: 'deep-research', path: join(dir, 'deep-research.js'), origin: 'built-in' });
  });

  it('examples/review-changes.js is the built-in, not a copy', () => {
    const example = fileURLToPath(new URL('../../examples/review-changes.js', import.meta.url));
    expect(realpathSync(example)).toBe(realpathSync(join(dir, 'review-changes.js')));
  });

  it('deep-research says so when no web tool is available', () => {
    const source = readFileSync(join(dir, 'deep-research.js'), 'utf8');
    expect(source).toContain('No web tool (WebSearch, WebFetch) is available to Baton agents');
  });
});
