// The sandbox seen from a whole agent (issue 17): a model that runs an allowed `npm test` whose
// script probes outside the workspace gets the denial as a tool error, and the denial is on the
// agent's tool-call lines, which `baton status` (lastToolCall) and `baton agent`
// (recentToolCalls) show. With isolation the agent writes its worktree and nothing else.
import Anthropic from '@anthropic-ai/sdk';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAgentLoop } from '../../activities/agent-loop.js';
import { sandboxSupport } from '../../activities/sandbox/sandbox-support.js';
import type { AgentRequest } from '../../contract/run-types.js';
import { reply, scripted, startModelServer, text, toolResults, toolUse, type ModelServer } from '../model-server/index.js';

const support = await sandboxSupport();

let server: ModelServer;
let client: Anthropic;
let repo: string;
let outside: string;
let firstOfTest = 0;

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' }).toString();

beforeAll(async () => {
  server = await startModelServer();
  client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  repo = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-sandbox-repo-')));
  outside = await realpath(await mkdtemp('/var/tmp/baton-sandbox-outside-'));
  await writeFile(path.join(outside, 'worker-secret.txt'), 'worker secret\n');
  await writeFile(path.join(repo, 'package.json'), JSON.stringify({ name: 'probe', version: '1.0.0', scripts: { test: 'sh probes.sh' } }));
  await writeFile(
    path.join(repo, 'probes.sh'),
    [
      'echo tested > result.txt',
      `cat ${outside}/worker-secret.txt || echo "read refused"`,
      `cat ${repo}/probes.sh || echo "main checkout refused"`,
      `echo escaped > ${repo}/.git/escaped.txt || echo "write refused"`,
      'git status --short >/dev/null && echo "git works"',
    ].join('\n'),
  );
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'probe');
});

afterAll(async () => {
  await server.close();
  await rm(repo, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

beforeEach(() => {
  firstOfTest = server.requests.length;
});

const request = (over: Partial<AgentRequest> = {}): AgentRequest => ({
  runId: 'run-sandbox',
  agentId: 'a1',
  prompt: 'Run the tests.',
  label: 'tester',
  phase: null,
  model: 'claude-sonnet-5-5',
  workspace: repo,
  allow: ['Bash(npm test:*)'],
  ...over,
});

describe.skipIf(!support.available)('agent in the Bash sandbox', () => {
  it("writes only its own worktree, and the denial reaches the model and the agent's tool-call lines", async () => {
    server.setResponder(scripted(reply(toolUse('Bash', { command: 'npm test' })), reply(text('Tests ran.'))));
    const outcome = await runAgentLoop(request({ isolation: 'worktree' }), { client, heartbeat: () => {} });

    expect(outcome.status).toBe('succeeded');
    const [result] = toolResults(server.requests[firstOfTest + 1]!.body);
    const content = String(result!.content);
    expect(result!.is_error).toBe(true);
    expect(content).toContain('read refused');
    expect(content).toContain('write refused');
    expect(content).toContain('main checkout refused');
    expect(content).toContain(`- write: ${repo}/.git/escaped.txt`);
    expect(content).toContain('git works');
    expect(content).not.toContain('worker secret');
    expect(content).toContain(`- read: ${outside}/worker-secret.txt`);
    // The main checkout is not the agent's worktree: not visible; its git directory is read-only.
    expect(
      await stat(path.join(repo, '.git', 'escaped.txt')).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
    expect(outcome.lastToolCall).toMatch(/^sandbox denied read .*worker-secret\.txt.*: Bash \{"command":"npm test"\}$/);
    expect(outcome.recentToolCalls).toEqual([outcome.lastToolCall]);
    // Its own work is committed on its branch.
    expect(outcome.branch).toBe('baton/run-sandbox/a1');
    expect(git('show', 'baton/run-sandbox/a1:result.txt')).toBe('tested\n');
    await expect(readFile(path.join(repo, 'result.txt'), 'utf8')).rejects.toThrow();
  });
});
