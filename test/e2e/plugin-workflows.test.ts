// `baton run plugin:name` and `workflow('plugin:name')` find the workflows of installed Claude
// Code plugins (docs/runs.md#saved-workflows-and-schedules), as a user runs them, with Claude Code's plugin registry in $HOME.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { echoResponder, startModelServer, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
const home = tempDir('baton-plugin-home-');
const plugin = tempDir('baton-plugin-acme-');

beforeAll(async () => {
  mkdirSync(join(plugin, 'workflows'));
  writeFileSync(
    join(plugin, 'workflows', 'audit.js'),
    `export const meta = { name: 'audit', description: 'audits via a helper' }\nreturn { top: await agent('audit ' + args.area), helper: await workflow('acme:helper', { area: args.area }) }\n`,
  );
  writeFileSync(
    join(plugin, 'workflows', 'helper.js'),
    `export const meta = { name: 'helper', description: 'helps' }\nreturn await agent('help with ' + args.area)\n`,
  );
  mkdirSync(join(home, '.claude', 'plugins'), { recursive: true });
  writeFileSync(
    join(home, '.claude', 'plugins', 'installed_plugins.json'),
    JSON.stringify({ version: 2, plugins: { 'acme@tools': [{ scope: 'user', installPath: plugin }] } }),
  );
  modelServer = await startModelServer({ responder: echoResponder });
  env = cliEnv(inject('temporalAddress'), { HOME: home, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
});

describe('workflows of installed Claude Code plugins', () => {
  it('baton run plugin:name runs it, and its workflow(plugin:name) finds the other', async () => {
    const result = await runCli(['run', 'acme:audit', '--yes', '--json', '--args', '{"area":"auth"}'], { env, cwd: home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`acme:audit: the plugin workflow ${join(plugin, 'workflows', 'audit.js')}`);
    expect(JSON.parse(result.stdout).result).toEqual({ top: 'echo: audit auth', helper: 'echo: help with auth' });
  });

  it('an unknown plugin workflow says where it looked', async () => {
    const result = await runCli(['run', 'acme:nope', '--yes'], { env, cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(plugin, 'workflows')} (plugin acme)`);
  });
});
