// A worker that cannot make the sandbox (here: no bwrap on its PATH) refuses Bash with the cause
// and says so at start; nothing runs unconfined unless it was started with --unsafe-bash.
// Its own file: whether a sandbox can be made is found out once per process.
import { mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permissions } from '../../activities/permissions.js';
import { configureSandbox } from '../../activities/sandbox/sandbox-support.js';
import { bashTool } from '../../activities/tools/bash-tool.js';
import { runTool } from '../../activities/tools/index.js';
import { openWorkspace } from '../../activities/workspace.js';
import { startBashSandbox } from '../../workers/bash-sandbox-startup.js';

const savedPath = process.env.PATH;
let root: string;

beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-no-sandbox-')));
  process.env.PATH = path.join(root, 'empty-bin');
});

afterAll(async () => {
  process.env.PATH = savedPath;
  configureSandbox({ mode: 'required' });
  await rm(root, { recursive: true, force: true });
});

const bash = async (command: string) => {
  const notes: string[] = [];
  const ctx = {
    workspace: await openWorkspace(root),
    permissions: Permissions.fromRules(['Bash']),
    scratchDir: path.join(root, 'scratch'),
    heartbeat: () => {},
    annotateToolCall: (n: string) => notes.push(n),
  };
  return { ...(await runTool(bashTool, 'Bash', { command }, ctx)), notes };
};

describe('Bash on a worker that cannot make the sandbox', () => {
  it('says so at start, and refuses every command with the cause, running none of it', async () => {
    const logged: string[] = [];
    expect(await startBashSandbox(path.join(root, 'home'), false, (line) => logged.push(line))).toBe('Bash refused (no sandbox)');
    expect(logged.join('\n')).toContain("agents' Bash is refused on this worker: bubblewrap (bwrap) is not installed");

    const run = await bash('touch made.txt');
    expect(run.isError).toBe(true);
    expect(run.content).toContain(
      'Bash is unavailable on this worker: its sandbox cannot be made (bubblewrap (bwrap) is not installed on this worker; install it with scripts/install-sandbox.sh',
    );
    expect(run.content).toContain('--unsafe-bash');
    expect(
      await stat(path.join(root, 'made.txt')).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
  });

  it('runs unconfined only on a worker started with --unsafe-bash, which says so loudly and on every command', async () => {
    const logged: string[] = [];
    expect(await startBashSandbox(path.join(root, 'home'), true, (line) => logged.push(line))).toBe('Bash UNSANDBOXED (--unsafe-bash)');
    expect(logged.join('\n')).toContain('WARNING: --unsafe-bash');
    process.env.PATH = savedPath;
    const run = await bash('echo unconfined > made.txt && cat made.txt');
    expect(run).toMatchObject({ content: 'unconfined', isError: false, notes: ['unsandboxed (worker --unsafe-bash)'] });
  });
});
