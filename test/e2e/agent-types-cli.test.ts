// `baton check` and the approval card list the agent types a script names and where each comes
// from (docs/agents.md#agent-types), and warn about agent-file keys Baton ignores.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cliEnv, runCli } from './cli-process.js';

const root = mkdtempSync(join(tmpdir(), 'baton-agent-types-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function setUp(): { workspace: string; home: string; scriptPath: string } {
  const workspace = join(root, 'ws');
  const home = join(root, 'home');
  mkdirSync(join(workspace, '.claude', 'agents'), { recursive: true });
  mkdirSync(join(home, '.claude', 'agents'), { recursive: true });
  writeFileSync(
    join(workspace, '.claude', 'agents', 'reviewer.md'),
    '---\nname: reviewer\ndescription: reviews\nmodel: haiku\ntools: Read, Grep\ncolor: red\npermissionMode: bypassPermissions\n---\nReview.\n',
  );
  writeFileSync(join(home, '.claude', 'agents', 'mine.md'), '---\nname: mine\ndescription: my own\n---\nMine.\n');
  const scriptPath = join(workspace, 'audit.js');
  writeFileSync(
    scriptPath,
    "export const meta = { name: 'audit', description: 'audits' }\n" +
      "await agent('a', { agentType: 'reviewer' })\nawait agent('b', { agentType: 'Explore' })\n" +
      "await agent('c', { agentType: 'mine' })\nawait agent('d', { agentType: 'auditor' })\nreturn 1\n",
  );
  return { workspace, home, scriptPath };
}

describe('agent types in baton check and the card', () => {
  const { workspace, home, scriptPath } = setUp();

  it('check lists each type with its source and warns about ignored frontmatter keys', async () => {
    const result = await runCli(['check', scriptPath], { env: cliEnv(inject('temporalAddress'), { HOME: home }), cwd: workspace });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'agent types: reviewer (project .claude/agents/reviewer.md), Explore (built-in), mine (personal ~/.claude/agents/mine.md), auditor (not found: that agent would fail)',
    );
    expect(result.stdout).toContain('only with baton run --personal-context');
    expect(result.stderr).toContain('warning: .claude/agents/reviewer.md: frontmatter keys color, permissionMode ignored');
  });

  it("the card names the project's file, and a personal type only with --personal-context", async () => {
    const env = cliEnv(inject('temporalAddress'), { HOME: home });
    const plain = await runCli(['run', scriptPath, '--workspace', workspace], { env });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain(
      '│ agent types: reviewer (project .claude/agents/reviewer.md), Explore (built-in), mine (not found: that agent would fail), auditor (not found',
    );
    const personal = await runCli(['run', scriptPath, '--workspace', workspace, '--personal-context'], { env });
    expect(personal.stderr).toContain('mine (personal ~/.claude/agents/mine.md)');
  });
});
