// Runs on a git remote (docs/fleet.md#git-remotes, `baton run --repo URL [--ref REF]`): the run pins REF to a commit
// at its start and every agent sees that commit even when the remote moves on; an editing agent
// works in its own worktree and its change comes back as one branch `baton/<run>/<agent>` on the
// remote, based on the pinned commit; an agent that changed nothing pushes nothing; a push that
// keeps failing fails the agent with git's message; a resumed run does not redo a finished agent.
// Real git (file:// remotes), the real dev server and worker; the model server plays the agents:
// `[read=F]` reads F then answers with what it read, `[write=F]` writes F, `[env]` runs `env`.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepoCache } from '../../activities/repo-cache.js';
import { fetchResumeSource } from '../../client/resume-source.js';
import { INTERPRETER_WORKFLOW_TYPE, type RunInput, type RunReport } from '../../contract/run-types.js';
import { completedTurnsAskedAgain, firstUserText, reply, text, toolResults, toolUse, type Responder } from '../model-server/index.js';
import { bundleInterpreter, compile, defaultRunOptions, script, startExtraWorker, startHarness, type Harness } from './interpreter-harness.js';
import { tempDir } from '../harness/temp-dir.js';

const responder: Responder = (request) => {
  const prompt = firstUserText(request);
  // `[crossing]`: writes first.txt, looks around slowly, writes second.txt at its sixth call, ends at its eighth.
  if (prompt.includes('[crossing]')) {
    const call = request.messages.filter((m) => m.role === 'assistant').length + 1;
    if (call === 1) return reply(toolUse('Write', { file_path: 'first.txt', content: 'written on the first turn\n' }));
    if (call === 6) return reply(toolUse('Write', { file_path: 'second.txt', content: 'written on the sixth turn\n' }));
    if (call < 8) return { ...reply(toolUse('Glob', { pattern: `*.turn${call}` })), delayMs: 400 };
    return reply(text('done'));
  }
  const results = toolResults(request);
  if (results.length > 0) {
    const seen = results
      .map((r) => (typeof r.content === 'string' ? r.content : (r.content ?? []).map((b) => ('text' in b ? b.text : '')).join('')))
      .join('\n');
    return reply(text(`saw: ${seen}`));
  }
  const read = /\[read=([^\]]+)\]/.exec(prompt)?.[1];
  if (read) return reply(toolUse('Read', { file_path: read }));
  const write = /\[write=([^\]]+)\]/.exec(prompt)?.[1];
  if (write) return reply(toolUse('Write', { file_path: write, content: `written by ${write}\n` }));
  if (prompt.includes('[env]')) return reply(toolUse('Bash', { command: 'env' }));
  const delay = Number(/\[delay=(\d+)\]/.exec(prompt)?.[1] ?? 0);
  return { ...reply(text('nothing to change')), delayMs: delay };
};

let h: Harness;
const root = tempDir('baton-repo-runs-');
const sh = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  }).trim();

/** A bare remote with one commit on main (VERSION says `version-A`), and a clone to push more from. */
function makeRemote(): { url: string; bare: string; clone: string; first: string } {
  const dir = mkdtempSync(join(root, 'remote-'));
  const bare = join(dir, 'origin.git');
  const clone = join(dir, 'clone');
  sh(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  sh(dir, 'clone', '--quiet', bare, clone);
  writeFileSync(join(clone, 'VERSION'), 'version-A\n');
  sh(clone, 'add', '-A');
  sh(clone, 'commit', '--quiet', '-m', 'A');
  sh(clone, 'push', '--quiet', 'origin', 'HEAD:main');
  return { url: `file://${bare}`, bare, clone, first: sh(clone, 'rev-parse', 'HEAD') };
}

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder, repos: new RepoCache(mkdtempSync(join(root, 'cache-')), [50, 50]) });
});
afterAll(async () => h?.close());

describe('--repo', () => {
  it('pins the commit at the start: a later agent sees it even after the remote moved on', async () => {
    const remote = makeRemote();
    const tag = randomUUID();
    const handle = await h.start(
      script(
        `const first = await agent('first ${tag} [read=VERSION]', { agentType: 'Explore' });\nconst second = await agent('second ${tag} [read=VERSION]', { agentType: 'Explore' });\nreturn { first, second };`,
      ),
      { repo: { url: remote.url, ref: 'main' } },
    );
    // The remote moves on while the run is under way.
    while (!h.modelServer.requests.some((r) => firstUserText(r.body).includes(`first ${tag}`))) await new Promise((r) => setTimeout(r, 50));
    writeFileSync(join(remote.clone, 'VERSION'), 'version-B\n');
    sh(remote.clone, 'commit', '--quiet', '-am', 'B');
    sh(remote.clone, 'push', '--quiet', 'origin', 'HEAD:main');
    const report = (await handle.result()) as RunReport;
    expect(report.repo).toEqual({ url: remote.url, ref: 'main', commit: remote.first });
    const result = report.result as { first: string; second: string };
    expect(result.first).toContain('version-A');
    expect(result.second).toContain('version-A');
    expect(result.second).not.toContain('version-B');
    // Read-only agents leave no branch.
    expect(sh(remote.bare, 'branch', '--list', 'baton/*')).toBe('');
  }, 60_000);

  it('hands each editing agent its own branch with exactly its change, and none to an agent that changed nothing', async () => {
    const remote = makeRemote();
    const tag = randomUUID();
    const workflowId = `repo-branches-${tag}`;
    const report = await h.run(
      script(
        `return await parallel([\n  () => agent('one ${tag} [write=one.txt]'),\n  () => agent('two ${tag} [write=two.txt]'),\n  () => agent('three ${tag} [write=three.txt]'),\n  () => agent('idle ${tag}'),\n]);`,
      ),
      { repo: { url: remote.url, ref: null }, workflowId },
    );
    expect(report.status).toBe('completed');
    const branches = sh(remote.bare, 'branch', '--list', 'baton/*', '--format=%(refname:short)').split('\n').sort();
    expect(branches).toEqual([`baton/${workflowId}/a1`, `baton/${workflowId}/a2`, `baton/${workflowId}/a3`]);
    for (const [agent, file] of [
      ['a1', 'one.txt'],
      ['a2', 'two.txt'],
      ['a3', 'three.txt'],
    ] as const) {
      const branch = `baton/${workflowId}/${agent}`;
      // Based on the pinned commit, holding that agent's file and nothing else.
      expect(sh(remote.bare, 'rev-parse', `${branch}^`)).toBe(remote.first);
      expect(sh(remote.bare, 'diff', '--name-only', remote.first, branch)).toBe(file);
      expect(sh(remote.bare, 'log', '-1', '--format=%an <%ae>%n%s', branch)).toBe(
        `baton <baton@localhost>\nbaton run ${workflowId}, agent ${agent}: ${agent === 'a1' ? 'one' : agent === 'a2' ? 'two' : 'three'} ${tag} [write=${file}]`,
      );
    }
    expect(report.agentList.map((a) => a.branch)).toEqual([`baton/${workflowId}/a1`, `baton/${workflowId}/a2`, `baton/${workflowId}/a3`, null]);
  }, 60_000);

  it("fails the agent with git's message when its branch cannot be pushed, after retrying", async () => {
    const remote = makeRemote();
    const tag = randomUUID();
    const report = await h.run(script(`return await agent('pusher ${tag} [write=x.txt]');`), {
      repo: { url: remote.url, ref: null, pushUrl: `file://${join(root, 'no-such-remote.git')}` },
    });
    expect(report.result).toBeNull();
    const agent = report.agentList[0]!;
    expect(agent.state).toBe('failed');
    expect(agent.error).toMatch(
      /^BranchPushFailed: Could not push baton\/.+\/a1 to file:\/\/.*no-such-remote\.git: .*(does not appear to be a git repository|not found|No such)/s,
    );
  }, 60_000);

  it('a run resumed from a finished one reuses its agent and branch, never running or pushing it again', async () => {
    const remote = makeRemote();
    const tag = randomUUID();
    const source = script(`return await agent('once ${tag} [write=once.txt]');`);
    const first = await h.start(source, { repo: { url: remote.url, ref: null }, workflowId: `repo-first-${tag}` });
    const firstReport = (await first.result()) as RunReport;
    const branch = firstReport.agentList[0]!.branch!;
    expect(branch).toBe(`baton/repo-first-${tag}/a1`);
    const pushed = sh(remote.bare, 'rev-parse', branch);
    const asked = () => h.modelServer.requests.filter((r) => firstUserText(r.body).includes(`once ${tag}`)).length;
    const before = asked();
    const { resume } = await fetchResumeSource(h.client, first.workflowId, 'prefix');
    const second = (await h.run(source, { repo: { url: remote.url, ref: null }, resume })) as RunReport;
    expect(second.agentList[0]).toMatchObject({ state: 'cached', branch });
    expect(asked()).toBe(before);
    expect(sh(remote.bare, 'branch', '--list', 'baton/*', '--format=%(refname:short)')).toBe(branch);
    expect(sh(remote.bare, 'rev-parse', branch)).toBe(pushed);
  }, 60_000);

  it('an editing agent retried on a worker with its own repository cache resumes its conversation and its files', async () => {
    const remote = makeRemote();
    const tag = randomUUID();
    const taskQueue = `repo-crossing-${tag}`;
    const workflowId = `repo-crossing-${tag}`;
    // Shared by both workers, as the fleet's object store is; their repository caches are not.
    const checkpointDir = mkdtempSync(join(root, 'checkpoints-'));
    const input: RunInput = {
      script: await compile(script(`return await agent('crossing ${tag} [crossing]');`)),
      options: { ...defaultRunOptions(), repo: { url: remote.url, ref: null } },
    };
    const handle = await h.client.workflow.start(INTERPRETER_WORKFLOW_TYPE, { taskQueue, workflowId, args: [input] });
    const calls = () => h.modelServer.requests.filter((r) => firstUserText(r.body).includes(`crossing ${tag}`));
    const a = await startExtraWorker(h, taskQueue, checkpointDir, new RepoCache(mkdtempSync(join(root, 'cache-a-')), [50]));
    // Stopped mid-agent, after first.txt was written and checkpointed on worker A.
    while (calls().length < 4) await new Promise((r) => setTimeout(r, 50));
    await a.stop();
    const b = await startExtraWorker(h, taskQueue, checkpointDir, new RepoCache(mkdtempSync(join(root, 'cache-b-')), [50]));
    let report: RunReport;
    try {
      report = (await handle.result()) as RunReport;
    } finally {
      await b.stop();
    }
    expect(report.agentList[0]).toMatchObject({ state: 'succeeded', turns: 8, branch: `baton/${workflowId}/a1` });
    // Worker B went on from A's last checkpoint: no completed turn was asked of the model again.
    expect(completedTurnsAskedAgain(calls())).toBe(0);
    expect(
      calls()
        .map((r) => r.body.messages.length)
        .at(-1),
    ).toBe(15);
    // Written once, on worker A, and still on the branch B pushed; B's own file beside it.
    const branch = `baton/${workflowId}/a1`;
    expect(sh(remote.bare, 'diff', '--name-only', remote.first, branch).split('\n').sort()).toEqual(['first.txt', 'second.txt']);
    expect(sh(remote.bare, 'show', `${branch}:first.txt`)).toBe('written on the first turn');
    expect(calls().filter((r) => r.body.messages.length === 1)).toHaveLength(1);
  }, 90_000);

  it("keeps the worker's git credentials out of an agent's Bash environment", async () => {
    const remote = makeRemote();
    const tag = randomUUID();
    const saved = { GIT_ASKPASS: process.env.GIT_ASKPASS, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };
    process.env.GIT_ASKPASS = '/opt/worker-askpass-secret';
    process.env.SSH_AUTH_SOCK = '/run/worker-ssh-agent-secret.sock';
    try {
      const report = await h.run(script(`return await agent('inspect ${tag} [env]');`), { repo: { url: remote.url, ref: null }, allow: ['Bash'] });
      const seen = String(report.result);
      expect(seen).toMatch(/PATH=/);
      expect(seen).not.toContain('askpass-secret');
      expect(seen).not.toContain('ssh-agent-secret');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }, 60_000);

  it('a worker refuses a URL with a password (the CLI refuses it first), and a ref the remote lacks', async () => {
    const tag = randomUUID();
    const withPassword = await h.fail(script(`return 1;`), {
      repo: { url: 'https://user:hunter2@example.invalid/r.git', ref: null },
      workflowId: `repo-pw-${tag}`,
    });
    expect(withPassword.failure.message).toContain('has a password in it');
    const remote = makeRemote();
    const missing = await h.fail(script(`return 1;`), { repo: { url: remote.url, ref: 'no-such-branch' } });
    expect(missing.report.error?.type).toBe('RefNotFound');
    expect(missing.failure.message).toContain('has no branch or tag "no-such-branch"');
  }, 60_000);
});
