// Saved workflows and schedules through the `baton` CLI as a user runs it (docs/cli.md, docs/runs.md#saved-workflows-and-schedules): a
// project with .claude/workflows/, a fake HOME with personal ones, a real dev server, a real
// worker process and the test model server.
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startModelServer, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const hello = (greeting: string) =>
  `export const meta = { name: 'hello', description: '${greeting} someone', whenToUse: 'to greet' }\n` +
  `return await agent('${greeting} ' + (args?.who ?? 'nobody'))\n`;

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
let repo: string;
let home: string;
let cwd: string;

beforeAll(async () => {
  const root = realpathSync(tempDir('baton-saved-'));
  repo = join(root, 'repo');
  home = join(root, 'home');
  cwd = join(repo, 'src');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(cwd, { recursive: true });
  mkdirSync(join(repo, '.claude', 'workflows'), { recursive: true });
  mkdirSync(join(home, '.claude', 'workflows'), { recursive: true });
  writeFileSync(join(repo, '.claude', 'workflows', 'hello.js'), hello('hello'));
  writeFileSync(join(home, '.claude', 'workflows', 'hello.js'), hello('howdy'));
  writeFileSync(join(home, '.claude', 'workflows', 'mine.js'), hello('hi').replace("name: 'hello'", "name: 'mine'"));
  modelServer = await startModelServer();
  env = cliEnv(inject('temporalAddress'), { HOME: home, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
});

const cli = (args: string[]) => runCli(args, { env, cwd });

interface Listed {
  name: string;
  description: string | null;
  from: string;
  path: string;
  shadowed: boolean;
  shadowedBy: string | null;
}

describe('baton workflows', () => {
  it('lists project, personal and built-in workflows, marking the shadowed ones', async () => {
    const result = await cli(['workflows', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const listed = JSON.parse(result.stdout) as Listed[];
    const projectHello = join(repo, '.claude', 'workflows', 'hello.js');
    expect(listed.filter((w) => w.name === 'hello').map((w) => [w.from, w.path, w.shadowed, w.shadowedBy])).toEqual([
      ['project', projectHello, false, null],
      ['personal', join(home, '.claude', 'workflows', 'hello.js'), true, projectHello],
    ]);
    expect(listed.find((w) => w.name === 'mine')).toMatchObject({ from: 'personal', description: 'hi someone', shadowed: false });
    const builtins = listed.filter((w) => w.from === 'built-in').map((w) => w.name);
    expect(builtins).toEqual(['adversarial-verify', 'cleanup', 'deep-research', 'judge-panel', 'review-changes']);

    const text = await cli(['workflows']);
    expect(text.stdout).toMatch(/hello\s+personal\s+\(shadowed by the project one: /);
  });
});

describe('baton run NAME', () => {
  let runId: string;

  it('runs the project workflow by name, with --args', async () => {
    const run = await cli(['run', 'hello', '--args', '{"who":"ada"}', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.status).toBe('completed');
    expect(summary.result).toBe('echo: hello ada');
    expect(summary.workflowId).toMatch(/^hello-/);
    runId = summary.workflowId;
  });

  it("a script's workflow(NAME) finds saved workflows from where baton run was started, and status shows whose agents they are", async () => {
    writeFileSync(
      join(cwd, 'outer.js'),
      "export const meta = { name: 'outer', description: 'nests saved workflows' }\n" +
        "return [await workflow('hello', { who: 'grace' }), await workflow('mine', { who: 'lin' })]\n",
    );
    const run = await cli(['run', 'outer.js', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    // The project's hello shadows the personal one; the personal-only `mine` is found too.
    expect(summary.result).toEqual(['echo: hello grace', 'echo: hi lin']);
    const status = await cli(['status', summary.workflowId]);
    expect(status.stdout).toContain('hello › hello grace');
    expect(status.stdout).toContain('mine › hi lin');
  });

  it('an unknown name exits 2 and says where it looked', async () => {
    const run = await cli(['run', 'nope', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nope: no such script file, and no saved workflow by that name');
    expect(run.stderr).toContain(`${join(home, '.claude', 'workflows')} (personal)`);
    expect(run.stderr).toContain("Run 'baton workflows'");
  });

  it("baton save writes the run's script, refuses to overwrite without --force, and saves personal ones", async () => {
    const saved = await cli(['save', runId, '--name', 'greeting']);
    expect(saved.code, saved.stderr).toBe(0);
    const path = join(repo, '.claude', 'workflows', 'greeting.js');
    expect(saved.stdout).toContain(`saved ${path} (project)`);
    expect(readFileSync(path, 'utf8')).toBe(hello('hello'));

    const again = await cli(['save', runId, '--name', 'greeting']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists. Pass --force');
    const forced = await cli(['save', runId, '--name', 'greeting', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('replaced');

    // The personal hello.js exists already; replacing it leaves the project's hello.js in charge.
    const personal = await cli(['save', runId, '--personal', '--force']);
    expect(personal.code, personal.stderr).toBe(0);
    expect(readFileSync(join(home, '.claude', 'workflows', 'hello.js'), 'utf8')).toBe(hello('hello'));
    expect(personal.stderr).toContain(`the project workflow ${join(repo, '.claude', 'workflows', 'hello.js')} still wins over it`);

    const rerun = await cli(['run', 'greeting', '--args', '{"who":"bob"}', '--yes', '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).result).toBe('echo: hello bob');

    const unknown = await cli(['save', 'no-such-run']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No run no-such-run');
  });
});

describe('baton schedule', () => {
  it('creates a schedule that fires every 2s, lists its runs, and deletes it', async () => {
    const id = `hello-every-${Math.random().toString(36).slice(2, 8)}`;
    const created = await cli(['schedule', 'create', id, '--every', '2s', '--script', 'hello', '--args', '{"who":"sched"}']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`created schedule ${id}: hello every 2s, overlap skip`);
    expect(created.stderr).toContain('not pinned');

    const listed = await cli(['schedule', 'ls', '--json']);
    expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ scheduleId: id, script: 'hello', pinned: false, timing: 'every 2s' }));

    let details: { actionsTaken: number; runs: Array<{ workflowId: string; status: string }> } = { actionsTaken: 0, runs: [] };
    const deadline = Date.now() + 45_000;
    while (details.runs.filter((r) => r.status === 'completed').length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const described = await cli(['schedule', 'describe', id, '--json']);
      expect(described.code, described.stderr).toBe(0);
      details = JSON.parse(described.stdout);
    }
    const done = details.runs.filter((r) => r.status === 'completed');
    expect(done.length).toBeGreaterThanOrEqual(2);
    const result = await cli(['result', done[0]!.workflowId, '--json']);
    expect(JSON.parse(result.stdout).result).toBe('echo: hello sched');
    // Scheduled runs are ordinary runs: `baton ls` lists them by the script's name.
    const ls = await cli(['ls', '--json']);
    expect(JSON.parse(ls.stdout)).toContainEqual(expect.objectContaining({ workflowId: done[0]!.workflowId, name: 'hello' }));

    const deleted = await cli(['schedule', 'delete', id]);
    expect(deleted.code, deleted.stderr).toBe(0);
    const gone = await cli(['schedule', 'describe', id]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`No schedule ${id}`);
  });

  it.each([
    [['--every', '2s', '--cron', '* * * * *'], 'give exactly one of --cron'],
    [['--cron', 'every day'], 'is not a cron expression'],
    [['--every', '2s', '--overlap', 'sometimes'], '--overlap takes skip, buffer-one, allow-all'],
    [['--every', '2s'], '--script SCRIPT_OR_NAME is required'],
  ])('create %j is a usage error', async (flags, message) => {
    const result = await cli([
      'schedule',
      'create',
      'bad',
      ...(flags.includes('--script') || message.includes('--script') ? [] : ['--script', 'hello']),
      ...flags,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
