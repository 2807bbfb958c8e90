// Custom agent types (docs/agents.md): `.claude/agents/reviewer.md` with `model: haiku`,
// `tools: Read, Grep` and a prompt body runs on haiku, offers exactly Read and Grep (plus
// StructuredOutput with a schema) and carries its body after Baton's framing; a `tools: Bash`
// file does not widen --allow; an unknown type fails its agent with Claude Code's message; a
// --repo run reads the files of its pinned commit; a run that continued as new keeps the
// definitions it read at its start, whatever the file says by then; the starter's and plugins'
// agents (taken by the CLI) come after the project's.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentCardLines } from '../../cli/agent-card.js';
import { fetchAgentDetail } from '../../client/agent-detail.js';
import {
  echoResponder,
  firstUserContext,
  firstUserText,
  reply,
  text,
  toolResults,
  toolUse,
  type RecordedRequest,
  type Responder,
} from '../model-server/index.js';
import { readPersonalContext } from '../../library/personal-context.js';
import { bundleInterpreter, script, startHarness, type Harness } from './interpreter-harness.js';

const root = mkdtempSync(join(tmpdir(), 'baton-agent-types-'));
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const sh = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: gitEnv }).trim();

const REVIEWER = `---
name: reviewer
description: Reviews a change for correctness
model: haiku
tools: Read, Grep
---
REVIEWER-BODY: you review diffs and report only real bugs.
`;
const SHELL = `---
name: shell
description: Runs commands
tools: Bash
hooks:
  PreToolUse:
    - hooks: [{ type: command, command: "touch HOOK-RAN" }]
---
SHELL-BODY
`;

/** `[bash=CMD]` runs CMD with Bash; `[edit-agent=PATH]` rewrites that agent file before answering. */
const responder: Responder = (request, ctx) => {
  const prompt = firstUserText(request);
  const results = toolResults(request);
  if (results.length > 0) return reply(text(`saw: ${results.map((r) => JSON.stringify(r.content)).join(' ')}`));
  const bash = /\[bash=([^\]]+)\]/.exec(prompt)?.[1];
  if (bash) return reply(toolUse('Bash', { command: bash }));
  const edit = /\[edit-agent=([^\]]+)\]/.exec(prompt)?.[1];
  if (edit) writeFileSync(edit, REVIEWER.replace('REVIEWER-BODY', 'EDITED-BODY'));
  return echoResponder(request, ctx);
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder });
});
afterAll(async () => {
  await h?.close();
  rmSync(root, { recursive: true, force: true });
});

function makeWorkspace(): string {
  const dir = mkdtempSync(join(root, 'ws-'));
  mkdirSync(join(dir, '.claude', 'agents'), { recursive: true });
  writeFileSync(join(dir, 'CLAUDE.md'), 'PROJECT-RULE: be brief.\n');
  writeFileSync(join(dir, '.claude', 'agents', 'reviewer.md'), REVIEWER);
  writeFileSync(join(dir, '.claude', 'agents', 'shell.md'), SHELL);
  return dir;
}

const requestsOf = (tag: string): RecordedRequest[] => h.modelServer.requests.filter((r) => firstUserText(r.body).includes(tag));
const toolNames = (r: RecordedRequest) => (r.body.tools ?? []).map((t) => t.name);

describe('agent types from .claude/agents', () => {
  it("runs the reviewer with its file's model, tools and prompt, and fails an unknown type listing the available ones", async () => {
    const workspace = makeWorkspace();
    writeFileSync(join(workspace, '.claude', 'agents', 'odd.md'), '---\nname: odd\nmaxTurns: lots\n---\nODD\n');
    const tag = randomUUID();
    const schema = { type: 'object', properties: { bugs: { type: 'array', items: { type: 'string' } } }, required: ['bugs'] };
    const workflowId = `types-${tag}`;
    const report = await h.run(
      script(
        `const review = await agent('review ${tag}', { agentType: 'reviewer', schema: ${JSON.stringify(schema)} });\n` +
          `const plain = await agent('plain ${tag}');\n` +
          `const missing = await agent('missing ${tag}', { agentType: 'auditor' });\n` +
          'return { review, plain, missing };',
      ),
      { workspace, workflowId },
    );
    expect(report.status).toBe('completed');
    // A file read but not as written says so in the run's log.
    expect(report.logs).toContain('warning: agent types: .claude/agents/odd.md: maxTurns must be a positive whole number, got "lots"; ignored');
    const reviews = requestsOf(`review ${tag}`);
    expect(reviews.length).toBeGreaterThan(0);
    for (const request of reviews) {
      expect(request.body.model).toBe('claude-haiku-5-5');
      expect(toolNames(request)).toEqual(['Read', 'Grep', 'StructuredOutput']);
      const system = JSON.stringify(request.body.system);
      expect(system).toContain('REVIEWER-BODY');
      // After Baton's own framing.
      expect(system.indexOf('orchestration script')).toBeLessThan(system.indexOf('REVIEWER-BODY'));
      expect(firstUserContext(request.body)).toContain('PROJECT-RULE');
    }
    const [plain] = requestsOf(`plain ${tag}`);
    expect(plain!.body.model).toBe('claude-sonnet-5-5');
    expect(JSON.stringify(plain!.body.system)).not.toContain('REVIEWER-BODY');
    expect(requestsOf(`missing ${tag}`)).toHaveLength(0);

    const result = report.result as { review: { bugs: string[] }; plain: string; missing: null };
    expect(Array.isArray(result.review.bugs)).toBe(true);
    expect(result.missing).toBeNull();
    const [reviewer, , missing] = report.agentList;
    expect(reviewer!.model).toBe('claude-haiku-5-5');
    expect(reviewer!.context?.agentType).toEqual({ name: 'reviewer', source: 'project', path: '.claude/agents/reviewer.md' });
    // What `baton agent RUN a1` prints.
    expect(agentCardLines((await fetchAgentDetail(h.client, workflowId, 'a1'))!).join('\n')).toContain(
      'agent type: reviewer (project .claude/agents/reviewer.md)',
    );
    expect(missing).toMatchObject({ state: 'failed' });
    expect(missing!.error).toBe(
      "UnknownAgentType: agent({agentType}): agent type 'auditor' not found. Available agents: claude, Explore, general-purpose, odd, Plan, reviewer, shell, statusline-setup",
    );
  }, 60_000);

  it("does not let a file's tools: Bash (or its hooks) widen what the run's --allow refuses", async () => {
    const workspace = makeWorkspace();
    const tag = randomUUID();
    const report = await h.run(
      script(
        `return [await agent('refused ${tag} [bash=touch WIDENED]', { agentType: 'shell' }), await agent('allowed ${tag} [bash=echo fine]', { agentType: 'shell' })];`,
      ),
      { workspace, allow: ['Bash(echo:*)'] },
    );
    const [refused, allowed] = report.result as [string, string];
    expect(refused).toContain('Permission denied: Bash command \\"touch WIDENED\\" is not allowed in this run');
    expect(allowed).toContain('fine');
    expect(existsSync(join(workspace, 'WIDENED'))).toBe(false);
    expect(existsSync(join(workspace, 'HOOK-RAN'))).toBe(false);
    const [request] = requestsOf(`refused ${tag}`);
    expect(toolNames(request!)).toEqual(['Bash']);
  }, 60_000);

  it("reads the agent files of the --repo run's pinned commit on the worker", async () => {
    const dir = mkdtempSync(join(root, 'remote-'));
    const bare = join(dir, 'origin.git');
    const clone = join(dir, 'clone');
    sh(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
    sh(dir, 'clone', '--quiet', bare, clone);
    mkdirSync(join(clone, '.claude', 'agents'), { recursive: true });
    writeFileSync(join(clone, '.claude', 'agents', 'reviewer.md'), REVIEWER.replace('REVIEWER-BODY', 'REPO-REVIEWER-BODY'));
    sh(clone, 'add', '-A');
    sh(clone, 'commit', '--quiet', '-m', 'agents');
    sh(clone, 'push', '--quiet', 'origin', 'HEAD:main');
    const tag = randomUUID();
    const report = await h.run(script(`return await agent('from repo ${tag}', { agentType: 'reviewer' });`), { repo: { url: `file://${bare}`, ref: 'main' } });
    expect(report.agentList[0]).toMatchObject({ state: 'succeeded', model: 'claude-haiku-5-5' });
    const [request] = requestsOf(`from repo ${tag}`);
    expect(JSON.stringify(request!.body.system)).toContain('REPO-REVIEWER-BODY');
    expect(toolNames(request!)).toEqual(['Read', 'Grep']);
  }, 60_000);

  it('keeps the definitions read at the start across continue-as-new, whatever the file says by then', async () => {
    const workspace = makeWorkspace();
    const tag = randomUUID();
    const file = join(workspace, '.claude', 'agents', 'reviewer.md');
    const report = await h.run(
      script(
        `const a = await agent('before ${tag} [edit-agent=${file}]', { agentType: 'reviewer' });\nconst b = await agent('after ${tag}', { agentType: 'reviewer' });\nreturn [a, b];`,
      ),
      { workspace, continueAsNewAfterAgents: 1 },
    );
    expect(report.agents).toMatchObject({ total: 2, succeeded: 2 });
    const [after] = requestsOf(`after ${tag}`);
    expect(JSON.stringify(after!.body.system)).toContain('REVIEWER-BODY');
    expect(JSON.stringify(after!.body.system)).not.toContain('EDITED-BODY');
  }, 60_000);

  it("takes the starter's ~/.claude/agents and installed plugins' agents (read by the CLI), after the project's", async () => {
    const workspace = makeWorkspace();
    const home = mkdtempSync(join(root, 'home-'));
    const plugin = join(home, 'plugin-install');
    mkdirSync(join(home, '.claude', 'agents'), { recursive: true });
    mkdirSync(join(home, '.claude', 'plugins'), { recursive: true });
    mkdirSync(join(plugin, 'agents'), { recursive: true });
    writeFileSync(join(home, '.claude', 'agents', 'mine.md'), '---\nname: mine\ndescription: my own\ntools: Read\n---\nMINE-BODY\n');
    writeFileSync(join(home, '.claude', 'agents', 'reviewer.md'), '---\nname: reviewer\ndescription: shadowed\n---\nPERSONAL-REVIEWER-BODY\n');
    writeFileSync(join(plugin, 'agents', 'auditor.md'), '---\nname: auditor\ndescription: audits\nmodel: haiku\n---\nPLUGIN-AUDITOR-BODY\n');
    writeFileSync(
      join(home, '.claude', 'plugins', 'installed_plugins.json'),
      JSON.stringify({ version: 2, plugins: { 'sec@market': [{ scope: 'user', installPath: plugin }] } }),
    );
    const { context } = readPersonalContext(home);
    const tag = randomUUID();
    const report = await h.run(
      script(
        `return [await agent('mine ${tag}', { agentType: 'mine' }), await agent('reviewer ${tag}', { agentType: 'reviewer' }), await agent('auditor ${tag}', { agentType: 'sec:auditor' })];`,
      ),
      { workspace, personal: { inline: context } },
    );
    expect(report.agents).toMatchObject({ total: 3, succeeded: 3 });
    const system = (label: string) => JSON.stringify(requestsOf(`${label} ${tag}`)[0]!.body.system);
    expect(system('mine')).toContain('MINE-BODY');
    expect(toolNames(requestsOf(`mine ${tag}`)[0]!)).toEqual(['Read']);
    // The project's file of the same name wins over the starter's.
    expect(system('reviewer')).toContain('REVIEWER-BODY');
    expect(system('reviewer')).not.toContain('PERSONAL-REVIEWER-BODY');
    expect(system('auditor')).toContain('PLUGIN-AUDITOR-BODY');
    expect(report.agentList.map((a) => a.context?.agentType)).toEqual([
      { name: 'mine', source: 'personal', path: '~/.claude/agents/mine.md' },
      { name: 'reviewer', source: 'project', path: '.claude/agents/reviewer.md' },
      { name: 'sec:auditor', source: 'plugin', path: 'sec:agents/auditor.md' },
    ]);
    expect(report.agentList[2]!.model).toBe('claude-haiku-5-5');
  }, 60_000);
});
