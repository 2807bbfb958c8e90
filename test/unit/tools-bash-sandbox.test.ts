// The Bash sandbox as a user would try it (issue 17): an allowed `npm test` whose test script
// probes its surroundings. Every probe must fail, the script's own work in the workspace must
// succeed, and the denials must reach both the model (the tool result) and the user (the note
// on the agent's tool-call line that status and `baton agent` show).
import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permissions } from '../../activities/permissions.js';
import { AgentSandbox } from '../../activities/sandbox/agent-sandbox.js';
import { configureSandbox, sandboxSupport } from '../../activities/sandbox/sandbox-support.js';
import { bashTool } from '../../activities/tools/bash-tool.js';
import { runTool } from '../../activities/tools/index.js';
import type { ToolContext } from '../../activities/tools/tool.js';
import { openWorkspace } from '../../activities/workspace.js';

const support = await sandboxSupport();
if (!support.available) console.warn(`Bash sandbox tests skipped: ${support.cause}`);

// /var/tmp, not /tmp: the probes must fail on the worker's own directories, not only on /tmp.
let outside: string;
let workspace: string;
let scratch: string;
let otherWorktree: string;
let fakeHome: string;
const servers: http.Server[] = [];
let allowedPort: number;
let otherPort: number;

async function serve(text: string): Promise<number> {
  const server = http.createServer((_req, res) => res.end(text));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  outside = await realpath(await mkdtemp('/var/tmp/baton-sandbox-test-'));
  fakeHome = path.join(outside, 'home');
  await mkdir(path.join(fakeHome, '.ssh'), { recursive: true });
  await writeFile(path.join(fakeHome, '.ssh', 'id_ed25519'), 'PRIVATE KEY\n');
  await writeFile(path.join(outside, 'worker-secret.txt'), 'worker secret\n');
  workspace = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-sandbox-ws-')));
  scratch = path.join(tmpdir(), `baton-agent-sandbox-test-${process.pid}`);
  otherWorktree = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-worktree-a2-')));
  // The worker's home holds the credentials; BATON_HOME-like paths are hidden the same way.
  configureSandbox({ mode: 'required', workerPaths: [fakeHome] });
  process.env.BATON_SANDBOX_TEST_SECRET = 'env-secret-value';
  allowedPort = await serve('allowed server');
  otherPort = await serve('other server');
});

afterAll(async () => {
  delete process.env.BATON_SANDBOX_TEST_SECRET;
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  for (const dir of [outside, workspace, scratch, otherWorktree]) await rm(dir, { recursive: true, force: true });
});

async function bash(command: string, allow: string[], allowNet: string[] = []) {
  const notes: string[] = [];
  const ctx: ToolContext = {
    workspace: await openWorkspace(workspace),
    permissions: Permissions.fromRules(allow),
    scratchDir: scratch,
    heartbeat: () => {},
    sandbox: new AgentSandbox(workspace, allowNet),
    annotateToolCall: (note) => notes.push(note),
  };
  return { ...(await runTool(bashTool, 'Bash', { command }, ctx)), notes };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe.skipIf(!support.available)('Bash sandbox', () => {
  it('lets an allowed npm test do its work in the workspace and refuses every probe outside it', async () => {
    const probes = [
      `cat ${outside}/worker-secret.txt`,
      `ls ${fakeHome}/.ssh`,
      `echo escaped > ${outside}/escaped.txt`,
      `echo escaped > ${otherWorktree}/escaped.txt`,
      `cat /proc/${process.pid}/environ`,
      `curl -sS --max-time 5 http://127.0.0.1:${allowedPort}/`,
    ];
    const script = [
      'mkdir -p build && echo built > build/result.txt',
      'echo tmp > "$TMPDIR/scratch.txt" && cat "$TMPDIR/scratch.txt"',
      ...probes.map((probe, i) => `if ${probe}; then echo "PROBE ${i} SUCCEEDED"; else echo "probe ${i} refused"; fi`),
      // Other processes' environments: only the sandbox's own processes are in /proc.
      "cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c SANDBOX_TEST_SECRET || true",
    ].join('\n');
    await writeFile(path.join(workspace, 'probes.sh'), script);
    await writeFile(path.join(workspace, 'package.json'), JSON.stringify({ name: 'probe', version: '1.0.0', scripts: { test: 'sh probes.sh' } }));

    const run = await bash('npm test', ['Bash(npm test:*)']);

    expect(run.content).not.toContain('SUCCEEDED');
    for (let i = 0; i < probes.length; i++) expect(run.content).toContain(`probe ${i} refused`);
    expect(run.content).not.toContain('worker secret');
    expect(run.content).not.toContain('PRIVATE KEY');
    expect(run.content).not.toContain('env-secret-value');
    expect(run.content).not.toContain('allowed server');
    // Its own work is done, where it belongs.
    expect(await readFile(path.join(workspace, 'build', 'result.txt'), 'utf8')).toBe('built\n');
    expect(await readFile(path.join(scratch, 'scratch.txt'), 'utf8')).toBe('tmp\n');
    expect(await exists(path.join(outside, 'escaped.txt'))).toBe(false);
    expect(await exists(path.join(otherWorktree, 'escaped.txt'))).toBe(false);
    // The model is told, as a tool error; the user sees it on the tool-call line.
    expect(run.isError).toBe(true);
    expect(run.content).toContain('Sandbox denied:');
    expect(run.content).toContain(`- read: ${outside}/worker-secret.txt`);
    expect(run.content).toContain(`- read: ${fakeHome}/.ssh`);
    expect(run.content).toContain(`- write: ${outside}/escaped.txt`);
    expect(run.content).toContain(`- write: ${otherWorktree}/escaped.txt`);
    expect(run.content).toContain(`- read: ${fakeHome}/.ssh`);
    expect(run.content).toContain(`- read: /proc/${process.pid}/environ`);
    expect(run.content).toContain(`- network: 127.0.0.1:${allowedPort}`);
    expect(run.notes).toHaveLength(1);
    expect(run.notes[0]).toMatch(/^sandbox denied read .*worker-secret\.txt \(\+\d+\)$/);
  });

  it('hides the credentials of a home that holds the workspace', async () => {
    const project = path.join(fakeHome, 'project');
    await mkdir(project, { recursive: true });
    const sandbox = new AgentSandbox(fakeHome);
    const ctx: ToolContext = {
      workspace: await openWorkspace(fakeHome),
      permissions: Permissions.fromRules(['Bash']),
      scratchDir: scratch,
      heartbeat: () => {},
      sandbox,
    };
    const run = await runTool(bashTool, 'Bash', { command: 'ls -a .ssh | grep -c id_; cat .ssh/id*; echo ok > project/file.txt && cat project/file.txt' }, ctx);
    expect(run.content).not.toContain('PRIVATE KEY');
    expect(run.content).toMatch(/^0\n/);
    expect(run.content).toContain('ok');
    expect(await readFile(path.join(project, 'file.txt'), 'utf8')).toBe('ok\n');
  });

  it('gives a command no network by default, and exactly the --allow-net host:port when allowed', async () => {
    const fetchBoth = `curl -sS --max-time 5 http://127.0.0.1:${allowedPort}/; echo; curl -sS --max-time 5 http://127.0.0.1:${otherPort}/; echo`;
    const none = await bash(fetchBoth, ['Bash']);
    expect(none.content).not.toContain('allowed server');
    expect(none.content).not.toContain('other server');

    const allowed = await bash(fetchBoth, ['Bash'], [`127.0.0.1:${allowedPort}`]);
    expect(allowed.content).toContain('allowed server');
    expect(allowed.content).not.toContain('other server');
    expect(allowed.content).toContain(`- network: 127.0.0.1:${otherPort}`);
    expect(allowed.notes).toEqual([`sandbox denied network 127.0.0.1:${otherPort}`]);

    // Through the proxy too, the relay decides by the destination, not by how it is asked for.
    const viaProxy = await bash(
      `curl -sS --max-time 5 --proxy "$HTTP_PROXY" --noproxy '' http://127.0.0.1:${otherPort}/`,
      ['Bash'],
      [`127.0.0.1:${allowedPort}`],
    );
    expect(viaProxy.content).toContain(`is not in this run's --allow-net list`);
    expect(viaProxy.content).not.toContain('other server');
    expect(viaProxy.notes).toEqual([`sandbox denied network 127.0.0.1:${otherPort}`]);
  });

  it('runs unconfined only on a worker started with --unsafe-bash, saying so on the tool-call line (no sandbox: tools-bash-no-sandbox.test.ts)', async () => {
    configureSandbox({ mode: 'unsafe' });
    try {
      const run = await bash(`cat ${outside}/worker-secret.txt`, ['Bash']);
      expect(run.content).toBe('worker secret');
      expect(run.notes).toEqual(['unsandboxed (worker --unsafe-bash)']);
    } finally {
      configureSandbox({ mode: 'required' });
    }
  });
});

describe.skipIf(!support.available)('Bash sandbox process lifetime', () => {
  // Pids inside the sandbox are its own, so a started process is found by a marker in its arguments.
  const running = async (marker: string) => {
    const { readdir } = await import('node:fs/promises');
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      const state = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      if (cmdline.includes(marker) && !/^State:\s+Z/m.test(state)) return true;
    }
    return false;
  };

  it('stops background jobs when the command returns, and everything at a timeout', async () => {
    const marker = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const returned = await bash(`sleep 30.${marker} & echo done`, ['Bash']);
    expect(returned.content).toBe('done');
    const timedOut = await runTool(
      bashTool,
      'Bash',
      { command: `sleep 31.${marker} & sleep 30`, timeout: 500 },
      {
        workspace: await openWorkspace(workspace),
        permissions: Permissions.fromRules(['Bash']),
        scratchDir: scratch,
        heartbeat: () => {},
        sandbox: new AgentSandbox(workspace),
      },
    );
    expect(timedOut.content).toContain('Command timed out after 500 ms');
    await new Promise((r) => setTimeout(r, 200));
    expect(await running(marker)).toBe(false);
  });
});
