// `isolation: 'worktree'` through the agent loop: real git repositories in temp directories,
// the model played by the model server. Assertions are what a user would check with git.
import Anthropic from '@anthropic-ai/sdk';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelOverloaded } from '../../activities/agent-errors.js';
import { runAgentLoop } from '../../activities/agent-loop.js';
import { worktreeBranch } from '../../activities/worktree.js';
import type { AgentRequest } from '../../contract/run-types.js';
import { firstUserText, overloaded, reply, scripted, startModelServer, text, toolResults, toolUse, type ModelServer } from '../model-server/index.js';

const run = promisify(execFile);
let server: ModelServer;
let client: Anthropic;
let temp: string;
let repo: string;
let firstOfTest = 0;

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
  return (await run('git', args, { cwd, env })).stdout;
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );
const batonBranches = async (dir = repo) => (await git(dir, 'branch', '--list', 'baton/*', '--format=%(refname:short)')).split('\n').filter(Boolean);
const worktrees = async (dir = repo) => (await git(dir, 'worktree', 'list', '--porcelain')).split('\n').filter((l) => l.startsWith('worktree '));

async function newRepo(name: string): Promise<string> {
  const dir = path.join(temp, name);
  await mkdir(dir, { recursive: true });
  await git(dir, 'init', '--quiet', '--initial-branch=main');
  await writeFile(path.join(dir, 'README.md'), '# Project\n\nHello.\n');
  await mkdir(path.join(dir, 'pkg'));
  await writeFile(path.join(dir, 'pkg', 'index.js'), 'export {};\n');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '--quiet', '-m', 'initial');
  return dir;
}

beforeAll(async () => {
  server = await startModelServer();
  client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  temp = await mkdtemp(path.join(tmpdir(), 'baton-worktree-test-'));
  repo = await newRepo('repo');
});

afterAll(async () => {
  await server.close();
  await rm(temp, { recursive: true, force: true });
});

beforeEach(() => {
  firstOfTest = server.requests.length;
});

const requests = () => server.requests.slice(firstOfTest);

function agent(over: Partial<AgentRequest> = {}) {
  const request: AgentRequest = {
    runId: 'r1',
    agentId: 'a1',
    prompt: 'Write the notes.',
    label: 'note writer',
    phase: null,
    model: 'claude-sonnet-5-5',
    workspace: repo,
    allow: [],
    isolation: 'worktree',
    ...over,
  };
  return runAgentLoop(request, { client, heartbeat: () => {} });
}

describe('worktree isolation', () => {
  it("commits the agent's edit on baton/<run>/<agent>, not in the workspace", async () => {
    server.setResponder(scripted(reply(toolUse('Write', { file_path: 'notes.md', content: 'from the agent\n' })), reply(text('Wrote notes.md.'))));
    const outcome = await agent();
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'Wrote notes.md.', branch: 'baton/r1/a1' });
    expect(toolResults(requests()[1]!.body)[0]).toMatchObject({ content: 'File created successfully at: notes.md (1 lines).' });

    expect(await git(repo, 'show', 'baton/r1/a1:notes.md')).toBe('from the agent\n');
    expect(await exists(path.join(repo, 'notes.md'))).toBe(false);
    expect(await git(repo, 'status', '--porcelain')).toBe('');
    expect((await git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('main');
    expect(await worktrees()).toHaveLength(1);
    const log = await git(repo, 'log', '-1', '--format=%an <%ae>%n%s', 'baton/r1/a1');
    expect(log).toBe('baton <baton@localhost>\nbaton run r1, agent a1: note writer\n');
    expect((await git(repo, 'rev-parse', 'baton/r1/a1~1')).trim()).toBe((await git(repo, 'rev-parse', 'main')).trim());
  });

  it("edits committed files on the branch, leaving the workspace's copy alone", async () => {
    server.setResponder(
      scripted(reply(toolUse('Edit', { file_path: 'README.md', old_string: 'Hello.', new_string: 'Hello from a2.' })), reply(text('Edited.'))),
    );
    const outcome = await agent({ agentId: 'a2' });
    expect(outcome.branch).toBe('baton/r1/a2');
    expect(await git(repo, 'show', 'baton/r1/a2:README.md')).toBe('# Project\n\nHello from a2.\n');
    expect(await readFile(path.join(repo, 'README.md'), 'utf8')).toBe('# Project\n\nHello.\n');
  });

  it('runs Bash in the worktree, with its tools confined there', async () => {
    server.setResponder(
      scripted(
        reply(toolUse('Bash', { command: 'pwd' }), toolUse('Bash', { command: 'rm pkg/index.js' }), toolUse('Read', { file_path: `${repo}/README.md` })),
        reply(text('Done.')),
      ),
    );
    const outcome = await agent({ agentId: 'a3', allow: ['Bash(pwd)', 'Bash(rm:*)'] });
    expect(outcome.branch).toBe('baton/r1/a3');
    const [pwd, removed, read] = toolResults(requests()[1]!.body);
    expect(removed!.is_error).toBeUndefined();
    expect(pwd!.content).not.toBe(repo);
    expect(pwd!.content).toMatch(/baton-worktree-a3-/);
    // The main workspace is outside the agent's worktree.
    expect(read).toMatchObject({ is_error: true, content: expect.stringContaining('is outside the workspace') });
    expect(await git(repo, 'ls-tree', '--name-only', '-r', 'baton/r1/a3')).toBe('README.md\n');
    expect(await exists(path.join(repo, 'pkg', 'index.js'))).toBe(true);
    expect(await exists(pwd!.content as string)).toBe(false);
  });

  it('leaves no branch and no worktree when the agent changed nothing', async () => {
    server.setResponder(scripted(reply(toolUse('Read', { file_path: 'README.md' })), reply(text('Nothing to change.'))));
    const before = await batonBranches();
    const outcome = await agent({ agentId: 'a4' });
    expect(outcome).toMatchObject({ status: 'succeeded', branch: null });
    expect(await batonBranches()).toEqual(before);
    expect(await worktrees()).toHaveLength(1);
  });

  it('works in the matching subdirectory when the workspace is inside the repository', async () => {
    server.setResponder(scripted(reply(toolUse('Write', { file_path: 'made.js', content: 'x\n' })), reply(text('ok'))));
    const outcome = await agent({ agentId: 'a5', workspace: path.join(repo, 'pkg') });
    expect(outcome.branch).toBe('baton/r1/a5');
    expect(await git(repo, 'show', 'baton/r1/a5:pkg/made.js')).toBe('x\n');
  });

  it('resets what an earlier attempt left behind: its worktree and its branch', async () => {
    const stale = path.join(temp, 'stale-worktree');
    await git(repo, 'worktree', 'add', '--quiet', '-b', 'baton/r1/a6', stale, 'HEAD');
    await writeFile(path.join(stale, 'stale.txt'), 'from attempt 1\n');
    await git(stale, 'add', '-A');
    await git(stale, 'commit', '--quiet', '-m', 'attempt 1');
    await writeFile(path.join(stale, 'uncommitted.txt'), 'from attempt 1\n');

    server.setResponder(scripted(reply(toolUse('Write', { file_path: 'fresh.txt', content: 'attempt 2\n' })), reply(text('ok'))));
    const outcome = await agent({ agentId: 'a6' });
    expect(outcome.branch).toBe('baton/r1/a6');
    expect(await git(repo, 'ls-tree', '--name-only', '-r', 'baton/r1/a6')).toBe('README.md\nfresh.txt\npkg/index.js\n');
    expect(await exists(stale)).toBe(false);
    expect(await worktrees()).toHaveLength(1);
  });

  it('cleans up after an agent that failed', async () => {
    server.setResponder(() => reply(toolUse('Write', { file_path: 'half.txt', content: 'half\n' })));
    const outcome = await agent({ agentId: 'a7', maxTurns: 2 });
    expect(outcome).toMatchObject({ status: 'failed', branch: null, error: { type: 'MaxTurnsExceeded' } });
    expect(await batonBranches()).not.toContain('baton/r1/a7');
    expect(await worktrees()).toHaveLength(1);
  });

  it('cleans up before a provider fault goes back to Temporal for a retry', async () => {
    server.setResponder(scripted(reply(toolUse('Write', { file_path: 'half.txt', content: 'half\n' })), overloaded()));
    await expect(agent({ agentId: 'a8' })).rejects.toBeInstanceOf(ModelOverloaded);
    expect(await batonBranches()).not.toContain('baton/r1/a8');
    expect(await worktrees()).toHaveLength(1);
  });

  it('gives concurrent agents of one run their own branches', async () => {
    server.setResponder((req) =>
      toolResults(req).length > 0 ? reply(text('ok')) : reply(toolUse('Write', { file_path: `${firstUserText(req)}.txt`, content: 'x\n' })),
    );
    const ids = ['c1', 'c2', 'c3', 'c4'];
    const outcomes = await Promise.all(ids.map((id) => agent({ runId: 'r2', agentId: id, prompt: id })));
    expect(outcomes.map((o) => o.branch)).toEqual(ids.map((id) => `baton/r2/${id}`));
    for (const id of ids) expect(await git(repo, 'show', `baton/r2/${id}:${id}.txt`)).toBe('x\n');
    expect(await worktrees()).toHaveLength(1);
  });

  it('fails with WorktreeUnavailable, before calling the model, when the workspace is not a git repository', async () => {
    const plain = path.join(temp, 'plain');
    await mkdir(plain);
    server.setResponder(scripted());
    const outcome = await agent({ workspace: plain });
    expect(outcome).toMatchObject({ status: 'failed', branch: null, turns: 0, error: { type: 'WorktreeUnavailable' } });
    expect(outcome.error!.message).toContain("isolation: 'worktree' needs the workspace to be a git repository; run `git init` there or drop the option");
    expect(requests()).toHaveLength(0);
  });

  it('fails with WorktreeUnavailable when the repository has no commit to branch from', async () => {
    const empty = path.join(temp, 'empty');
    await mkdir(empty);
    await git(empty, 'init', '--quiet');
    const outcome = await agent({ workspace: empty });
    expect(outcome).toMatchObject({ status: 'failed', error: { type: 'WorktreeUnavailable', message: expect.stringContaining('has no commits yet') } });
  });

  it('reports no branch field without isolation', async () => {
    server.setResponder(scripted(reply(toolUse('Write', { file_path: 'direct.txt', content: 'x' })), reply(text('ok'))));
    const other = await newRepo('direct');
    const outcome = await agent({ workspace: other, isolation: undefined });
    expect(outcome.status).toBe('succeeded');
    expect(outcome).not.toHaveProperty('branch');
    expect(await readFile(path.join(other, 'direct.txt'), 'utf8')).toBe('x');
  });

  it.each([
    ['r1', 'a1', 'baton/r1/a1'],
    ['run with spaces', 'a:1', 'baton/run-with-spaces/a-1'],
    ['..hidden.lock', '-x', 'baton/hidden/x'],
  ])('names the branch for run %j, agent %j: %s', (runId, agentId, branch) => {
    expect(worktreeBranch(runId, agentId)).toBe(branch);
  });
});
