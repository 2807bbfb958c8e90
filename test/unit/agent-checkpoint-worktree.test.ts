// Resuming a worktree agent: the files must be as the conversation left them, on whichever
// worker runs the retry, or the agent starts over. Real git repositories in temp directories.
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type HeartbeatDetails } from '../../activities/agent-checkpoint.js';
import { createActivities } from '../../activities/index.js';
import type { AgentOutcome, AgentRequest } from '../../contract/run-types.js';
import { reply, serverError, startModelServer, text, toolResults, toolUse, type ModelServer, type Reply } from '../model-server/index.js';

const run = promisify(execFile);
let server: ModelServer;
let temp: string;
let repo: string;
let firstOfTest = 0;
const warnings: string[] = [];

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
  return (await run('git', args, { cwd, env })).stdout;
}

beforeAll(async () => {
  server = await startModelServer();
  temp = await mkdtemp(path.join(tmpdir(), 'baton-checkpoint-worktree-'));
  repo = path.join(temp, 'repo');
  await mkdir(repo);
  await git(repo, 'init', '--quiet', '--initial-branch=main');
  await writeFile(path.join(repo, 'README.md'), '# Project\n');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '--quiet', '-m', 'initial');
});

afterAll(async () => {
  await server.close();
  await rm(temp, { recursive: true, force: true });
});

beforeEach(() => {
  firstOfTest = server.requests.length;
  warnings.length = 0;
});

const requests = () => server.requests.slice(firstOfTest);

const request = (agentId: string): AgentRequest => ({
  runId: 'r1',
  agentId,
  prompt: 'Write the notes.',
  label: 'writer',
  phase: null,
  model: 'claude-sonnet-5-5',
  workspace: repo,
  allow: ['Bash(git status:*)'],
  isolation: 'worktree',
});

function byTurn(plan: Array<Reply | Reply[]>): number[] {
  const asked = plan.map(() => 0);
  server.setResponder((req) => {
    const turn = req.messages.filter((m) => m.role === 'assistant').length;
    const replies = [plan[turn]!].flat();
    return replies[Math.min(asked[turn]++, replies.length - 1)]!;
  });
  return asked;
}

async function attempt(n: number, req: AgentRequest, heartbeatDetails?: unknown): Promise<{ outcome?: AgentOutcome; details?: HeartbeatDetails }> {
  const env = new MockActivityEnvironment({ attempt: n, heartbeatDetails }, { logger: new DefaultLogger('WARN', (e) => warnings.push(e.message)) });
  let details: HeartbeatDetails | undefined;
  env.on('heartbeat', (d: HeartbeatDetails) => (details = d));
  // No quick in-activity retries: each 500 goes to Temporal, as one does once they are spent.
  const activities = createActivities({ anthropic: { apiKey: 'test-key', baseURL: server.url }, providerRetry: { transientRetries: 0 } });
  const outcome = (await env.run(activities.runAgent, req).catch(() => undefined)) as AgentOutcome | undefined;
  return { outcome, details };
}

describe('worktree agent checkpoints', () => {
  it("restores the files of the last completed turn, unstaged, on the branch's original base", async () => {
    const base = (await git(repo, 'rev-parse', 'main')).trim();
    const asked = byTurn([
      reply(toolUse('Write', { file_path: 'notes.md', content: 'one\n' })),
      reply(toolUse('Edit', { file_path: 'README.md', old_string: '# Project', new_string: '# Project, edited' })),
      [serverError(), reply(toolUse('Bash', { command: 'git status --porcelain' }), toolUse('Read', { file_path: 'notes.md' }))],
      reply(text('Done.')),
    ]);
    const first = await attempt(1, request('w1'));
    expect(first.outcome).toBeUndefined();
    // Attempt 1 cleaned up as it always did: no branch, no worktree left.
    expect(await git(repo, 'branch', '--list', 'baton/r1/w1')).toBe('');
    // Meanwhile the workspace moves on; the resumed agent must still see the files it wrote.
    await writeFile(path.join(repo, 'later.txt'), 'later\n');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '--quiet', '-m', 'later');

    const second = await attempt(2, request('w1'), first.details);
    expect(second.outcome).toMatchObject({ status: 'succeeded', result: 'Done.', turns: 4, branch: 'baton/r1/w1' });
    expect(asked).toEqual([1, 1, 2, 1]);
    const [status, read] = toolResults(requests().at(-1)!.body);
    // As the agent would see it had it never stopped: its edit unstaged, its new file untracked.
    expect(status!.content).toBe(' M README.md\n?? notes.md');
    expect(read!.content).toBe('     1\tone');
    expect(await git(repo, 'show', 'baton/r1/w1:notes.md')).toBe('one\n');
    expect(await git(repo, 'show', 'baton/r1/w1:README.md')).toBe('# Project, edited\n');
    expect((await git(repo, 'rev-parse', 'baton/r1/w1~1')).trim()).toBe(base);
    expect((await git(repo, 'worktree', 'list')).trim().split('\n')).toHaveLength(1);
  });

  it("starts over, counting the usage, when the checkpoint's snapshot is not in the repository", async () => {
    byTurn([[reply(toolUse('Write', { file_path: 'gone.md', content: 'x\n' })), reply(text('Again from the top.'))], serverError()]);
    const first = await attempt(1, request('w2'));
    const ref = first.details!.checkpoint!;
    const conversation = await decodeCheckpoint(ref, undefined);
    expect(conversation.snapshot).toMatch(/^[0-9a-f]{40}$/);
    const lost = { ...first.details!, checkpoint: await encodeCheckpoint({ ...conversation, snapshot: 'e'.repeat(40) }, undefined) };

    const second = await attempt(2, request('w2'), lost);
    expect(second.outcome).toMatchObject({ status: 'succeeded', result: 'Again from the top.', turns: 1, branch: null });
    expect(requests()[2]!.body.messages).toHaveLength(1);
    expect(second.outcome!.usage.output).toBeGreaterThan(first.details!.usage.output);
    expect(warnings.join('\n')).toContain(`worktree snapshot ${'e'.repeat(40)}) are no longer in the repository`);
  });
});
