// `baton up` tells the truth (found by trying it): two at once leave one server and pid files
// naming the live processes, so `baton down` stops them all; it honours TEMPORAL_ADDRESS; and a
// worker that dies at start-up is reported in one line, never as ready.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../harness/free-port.js';
import { startModelServer, type ModelServer } from '../model-server/index.js';
import { runCli } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

let modelServer: ModelServer;
const home = tempDir('baton-up-');
let env: Record<string, string>;

beforeAll(async () => {
  modelServer = await startModelServer();
  const port = await freePort();
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    BATON_HOME: home,
    // baton up starts the server on this port because TEMPORAL_ADDRESS names it.
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: modelServer.url,
  };
});

afterAll(async () => {
  if (env) await runCli(['down'], { env });
  await modelServer?.close();
});

/** Processes whose command line mentions this test's home (servers by their db file, workers by nothing: counted by pid files). */
function serversOfThisHome(): number {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(join(home, 'temporal.db')) && !line.includes('ps -eo')).length;
}

it('two baton up at once leave one server, and baton down stops everything', { timeout: 240_000 }, async () => {
  const [first, second] = await Promise.all([runCli(['up'], { env, timeoutMs: 200_000 }), runCli(['up'], { env, timeoutMs: 200_000 })]);
  expect(first.code, first.stdout + first.stderr).toBe(0);
  expect(second.code, second.stdout + second.stderr).toBe(0);
  for (const out of [first, second]) {
    expect(out.stdout).toContain(`ready. Temporal at localhost:${env.TEMPORAL_ADDRESS!.split(':')[1]}`);
    expect(out.stderr).not.toMatch(/^\s+at /m);
  }
  expect(`${first.stdout}${second.stdout}`.match(/^baton up: server started/gm)).toHaveLength(1);
  expect(serversOfThisHome()).toBe(1);
  const serverPid = Number(readFileSync(join(home, 'server.pid'), 'utf8'));
  expect(() => process.kill(serverPid, 0)).not.toThrow();

  const down = await runCli(['down'], { env });
  expect(down.code, down.stderr).toBe(0);
  expect(serversOfThisHome()).toBe(0);
});

it('reports a worker that dies at start-up in one line, and not as ready', { timeout: 240_000 }, async () => {
  const noKey = { ...env, ANTHROPIC_API_KEY: '' };
  const up = await runCli(['up'], { env: noKey, timeoutMs: 200_000 });
  expect(up.code).toBe(1);
  expect(up.stdout).not.toContain('ready');
  const problem = up.stderr.trim().split('\n');
  expect(problem, up.stderr).toHaveLength(1);
  expect(problem[0]).toMatch(/^baton up: the worker exited at start-up: .*ANTHROPIC_API_KEY.*\(log: /);
});

it('refuses a TEMPORAL_ADDRESS on another host instead of waiting for it', async () => {
  const up = await runCli(['up'], { env: { ...env, TEMPORAL_ADDRESS: 'temporal.example.internal:7233' } });
  expect(up.code).toBe(2);
  expect(up.stderr).toContain("which 'baton up' cannot start");
});
