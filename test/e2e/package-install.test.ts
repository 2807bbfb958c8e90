// The npm package, as a user gets it: `npm pack`, `npm install -g` into an empty prefix with an
// empty HOME, then that `baton` alone: `baton up` from an empty directory installs the Temporal
// CLI under ~/.baton and starts a stack, `baton run` runs a script there against the test model,
// and `baton worker` serves another server. Nothing of the checkout is on the installed path.
// The Temporal CLI is not downloaded a second time: BATON_TEMPORAL_CLI points the installer at
// the checkout's .tools copy, which it links into ~/.baton/tools as it would have installed it.
// npm installs the dependencies through a loopback registry that serves the locked versions from
// npm's cache (lock-registry.ts): the test sends nothing off the machine. The pack skips the
// `prepare` build (--ignore-scripts): the tiers run after `npm run build`, and rebuilding dist/
// under the other tests would pull it from under them.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, inject, it } from 'vitest';
import { reply, startModelServer, text, type ModelServer } from '../model-server/index.js';
import { startLockRegistry, type LockRegistry } from './lock-registry.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'baton-package-'));
const prefix = join(tmp, 'prefix');
const home = join(tmp, 'home');
const work = join(tmp, 'work');
const baton = join(prefix, 'bin', 'baton');
const SCRIPT = `export const meta = { name: 'hello', description: 'one agent' }
return await agent('say hello')
`;
let modelServer: ModelServer | undefined;
let registry: LockRegistry | undefined;
const exec = promisify(execFile);
let worker: ReturnType<typeof spawn> | undefined;
let stackEnv: Record<string, string> | undefined;

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  if (stackEnv) await cli(['down'], stackEnv).catch(() => undefined);
  await modelServer?.close();
  await registry?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(baton, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

it('npm pack, npm install -g into an empty prefix: baton up, baton run and baton worker work', { timeout: 480_000 }, async () => {
  mkdirSync(home);
  mkdirSync(work);
  // 1. Pack (dist/ is built: the test tiers run after `npm run build`) and install it.
  await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: root });
  const tarball = readdirSync(tmp).find((name) => /^baton-.*\.tgz$/.test(name))!;
  const cache = (await exec('npm', ['config', 'get', 'cache'])).stdout.trim();
  const { overrides } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { overrides?: Record<string, string> };
  registry = await startLockRegistry(join(root, 'package-lock.json'), cache, overrides);
  await exec(
    'npm',
    ['install', '-g', join(tmp, tarball), '--prefix', prefix, '--registry', `${registry.url}/`, '--cache', join(tmp, 'npm-cache'), '--no-audit', '--no-fund'],
    {
      cwd: tmp,
      env: { PATH: process.env.PATH ?? '', HOME: home },
    },
  );
  const installed = realpathSync(baton);
  expect(installed.startsWith(realpathSync(prefix))).toBe(true);
  expect(existsSync(join(dirname(installed), '..', '.git'))).toBe(false);

  // 2. `baton up` from an empty directory, with nothing but node on PATH.
  modelServer = await startModelServer({ responder: () => reply(text('hello from the test model')) });
  const port = await freePort();
  const base = {
    PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: home,
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: modelServer.url,
    BATON_TEMPORAL_CLI: join(root, '.tools', 'temporal-venv', 'bin', 'temporal'),
  };
  stackEnv = { ...base, TEMPORAL_ADDRESS: `localhost:${port}` };
  const up = await cli(['up', '--port', String(port), '--ui-port', String(await freePort()), '--codec-port', String(await freePort())], stackEnv);
  expect(up.code, up.stdout + up.stderr).toBe(0);
  expect(existsSync(join(home, '.baton', 'tools', 'temporal-venv', 'bin', 'temporal'))).toBe(true);

  // 3. `baton run` a script in that directory, on the stack `baton up` started.
  writeFileSync(join(work, 'hello.js'), SCRIPT);
  const run = await cli(['run', 'hello.js', '--yes', '--json'], stackEnv);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ status: 'completed', result: 'hello from the test model' });
  const down = await cli(['down'], stackEnv);
  expect(down.code, down.stderr).toBe(0);
  stackEnv = undefined;

  // 4. `baton worker` against another server (the test tier's), and a run it serves.
  const other = {
    ...base,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    BATON_TASK_QUEUE: `package-${Math.random().toString(36).slice(2, 10)}`,
    BATON_HOME: join(home, 'other'),
  };
  worker = spawn(baton, ['worker'], { cwd: work, env: other, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  worker.stdout!.on('data', (d) => (output += d));
  worker.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 60_000;
  while (!output.includes('polling task queue')) {
    if (worker.exitCode !== null || Date.now() > deadline) throw new Error(`the installed worker did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const served = await cli(['run', 'hello.js', '--yes', '--json'], other);
  expect(served.code, served.stdout + served.stderr).toBe(0);
  expect(JSON.parse(served.stdout)).toMatchObject({ status: 'completed', result: 'hello from the test model' });
});
