import { mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Permissions } from '../../activities/permissions.js';
import { BASH_MAX_OUTPUT_CHARS, bashTool } from '../../activities/tools/bash-tool.js';
import { configureSandbox } from '../../activities/sandbox/sandbox-support.js';
import { runTool } from '../../activities/tools/index.js';
import type { ToolContext } from '../../activities/tools/tool.js';
import { openWorkspace, type Workspace } from '../../activities/workspace.js';

let root: string;
let scratch: string;
let workspace: Workspace;

beforeAll(async () => {
  // These tests are about the shell process (its pids are checked from outside); the same
  // behaviour inside the sandbox is tested in tools-bash-sandbox.test.ts.
  configureSandbox({ mode: 'unsafe' });
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-bash-')));
  scratch = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-scratch-')));
  await writeFile(path.join(root, 'a.txt'), 'alpha\n');
  workspace = await openWorkspace(root);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

const context = (allow: string[], over: Partial<ToolContext> = {}): ToolContext => ({
  workspace,
  permissions: Permissions.fromRules(allow),
  scratchDir: scratch,
  heartbeat: () => {},
  ...over,
});

const bash = (input: Record<string, unknown>, allow = ['Bash'], over: Partial<ToolContext> = {}) => runTool(bashTool, 'Bash', input, context(allow, over));

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

// A killed process whose parent is gone stays a zombie until init reaps it; some container
// inits never do, so a zombie counts as dead.
async function alive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return !/^State:\s+Z/m.test(status);
}

describe('Bash', () => {
  it('runs a command in the workspace root and returns its output', async () => {
    expect(await bash({ command: 'pwd && cat a.txt', description: 'Show where we are' })).toEqual({ content: `${root}\nalpha`, isError: false });
  });

  it('returns stdout and stderr together, in the order printed', async () => {
    const run = await bash({ command: 'echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three' });
    expect(run).toEqual({ content: 'one\ntwo\nthree', isError: false });
  });

  it('reports a non-zero exit as an is_error result naming the exit code', async () => {
    const run = await bash({ command: 'echo partial; echo oops >&2; exit 3' });
    expect(run).toEqual({ content: '<tool_use_error>Exit code 3\npartial\noops</tool_use_error>', isError: true });
  });

  it('says (no output) for a silent success', async () => {
    expect(await bash({ command: 'true' })).toEqual({ content: '(no output)', isError: false });
  });

  it('kills the command and everything it started when the timeout passes', async () => {
    const started = Date.now();
    const run = await bash({ command: 'sleep 30 & echo $! > bg.pid; echo started; sleep 30', timeout: 500 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.isError).toBe(true);
    expect(run.content).toContain('Command timed out after 500 ms and was killed');
    expect(run.content).toContain('Output before the timeout:\nstarted');
    const background = Number(await readFile(path.join(root, 'bg.pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(await alive(background)).toBe(false);
  });

  it('does not wait for background jobs after the command returns, and stops them', async () => {
    const started = Date.now();
    const run = await bash({ command: 'sleep 30 & echo $! > bg2.pid; echo done' });
    expect(run).toEqual({ content: 'done', isError: false });
    expect(Date.now() - started).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(await alive(Number(await readFile(path.join(root, 'bg2.pid'), 'utf8')))).toBe(false);
  });

  it('stops when the activity is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled by Temporal')), 200);
    const started = Date.now();
    await expect(bash({ command: 'sleep 30' }, ['Bash'], { signal: controller.signal })).rejects.toThrow('cancelled by Temporal');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('keeps the beginning and the end of long output, saying how much was cut', async () => {
    const run = await bash({ command: 'seq 1 100000' });
    expect(run.isError).toBe(false);
    expect(run.content.length).toBeLessThan(BASH_MAX_OUTPUT_CHARS + 200);
    expect(run.content.startsWith('1\n2\n3\n')).toBe(true);
    expect(run.content.endsWith('99999\n100000')).toBe(true);
    expect(run.content).toMatch(/\[\.\.\. \d+ characters of output truncated \(588895 in all\)/);
  });

  it('heartbeats while a command runs', async () => {
    let beats = 0;
    await bash({ command: 'sleep 2.5' }, ['Bash'], { heartbeat: () => beats++ });
    expect(beats).toBeGreaterThan(0);
  });

  it('rejects a timeout above 10 minutes', async () => {
    const run = await bash({ command: 'true', timeout: 600_001 });
    expect(run).toMatchObject({ isError: true, content: expect.stringContaining('/timeout: must be <= 600000') });
  });

  describe('environment', () => {
    const planted = {
      ANTHROPIC_API_KEY: 'sk-ant-planted-1',
      TEMPORAL_API_KEY: 'temporal-planted-2',
      MY_SERVICE_TOKEN: 'token-planted-3',
      AWS_SECRET_ACCESS_KEY: 'aws-planted-4',
      DATABASE_PASSWORD: 'db-planted-5',
      TEMPORAL_ADDRESS: 'temporal-address-planted-6',
      BASH_ENV: '/tmp/planted-bash-env-7',
      PLAIN_WORKER_SETTING: 'plain-planted-8',
    };
    const saved: Record<string, string | undefined> = {};

    beforeAll(() => {
      for (const [name, value] of Object.entries(planted)) {
        saved[name] = process.env[name];
        process.env[name] = value;
      }
    });

    afterAll(() => {
      for (const name of Object.keys(planted)) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    });

    it("shows none of the worker's credentials or other settings to the command", async () => {
      const run = await bash({ command: 'env' });
      expect(run.isError).toBe(false);
      for (const value of Object.values(planted)) expect(run.content).not.toContain(value);
      expect(run.content).not.toMatch(/^(ANTHROPIC|TEMPORAL)_/m);
    });

    it('gives the command PATH, a locale, a dumb terminal and the private scratch directory as HOME and TMPDIR', async () => {
      const run = await bash({ command: 'env' });
      const env = Object.fromEntries(run.content.split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
      expect(env.PATH).toBe(process.env.PATH);
      expect(env.HOME).toBe(scratch);
      expect(env.TMPDIR).toBe(scratch);
      expect(env.TERM).toBe('dumb');
      expect(env.LANG).toBeTruthy();
    });
  });

  describe('permissions', () => {
    const allow = ['Bash(echo:*)', 'Bash(git diff)'];

    it('runs an allowed command', async () => {
      expect(await bash({ command: 'echo hi' }, allow)).toEqual({ content: 'hi', isError: false });
    });

    it('refuses a command no rule allows, naming the rule that would, without running it', async () => {
      const run = await bash({ command: 'touch made.txt' }, allow);
      expect(run).toEqual({
        isError: true,
        content: expect.stringContaining(
          `Permission denied: Bash command "touch made.txt" is not allowed in this run. To allow it, start the run with --allow 'Bash(touch:*)' (or add it to "allow" in the config file).`,
        ),
      });
      expect(await exists(path.join(root, 'made.txt'))).toBe(false);
    });

    it.each([['echo ok && touch made.txt'], ['echo $(touch made.txt)'], ['echo ok; touch made.txt'], ['echo ok | touch made.txt']])(
      'refuses the compound command %j for its unallowed part, running none of it',
      async (command) => {
        const run = await bash({ command }, allow);
        expect(run.isError).toBe(true);
        expect(run.content).toContain('Permission denied: Bash command "touch made.txt" (part of');
        expect(await exists(path.join(root, 'made.txt'))).toBe(false);
      },
    );

    it('refuses everything when the run allows no Bash commands, and says so', async () => {
      const run = await bash({ command: 'echo hi' }, []);
      expect(run.isError).toBe(true);
      expect(run.content).toContain("--allow 'Bash(echo:*)'");
      expect(run.content).toContain('This run allows no Bash commands');
    });
  });
});

afterEach(async () => {
  await rm(path.join(root, 'made.txt'), { force: true });
});
