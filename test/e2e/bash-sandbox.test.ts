// Issue 17 as a user meets it: `baton run --allow 'Bash(npm test:*)' --allow-net 127.0.0.1:PORT`
// on a repository whose test script probes its surroundings. On a real worker process: the
// probes fail, the script's own work and the allowed port succeed, and `baton status` and
// `baton agent` show the denial.
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sandboxSupport } from '../../activities/sandbox/sandbox-support.js';
import { previousToolUses, reply, startModelServer, text, toolResults, toolUse, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';

const support = await sandboxSupport();
if (!support.available || !support.socat) console.warn(`Bash sandbox e2e test skipped: ${support.available ? 'socat is not installed' : support.cause}`);

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
const servers: http.Server[] = [];
const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'baton-sandbox-e2e-ws-')));
const outside = realpathSync(mkdtempSync('/var/tmp/baton-sandbox-e2e-'));

async function serve(body: string): Promise<number> {
  const server = http.createServer((_req, res) => res.end(body));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe.skipIf(!support.available || !support.socat)('baton run with the Bash sandbox', () => {
  let allowedPort: number;
  let otherPort: number;

  beforeAll(async () => {
    allowedPort = await serve('allowed server');
    otherPort = await serve('other server');
    writeFileSync(join(outside, 'worker-secret.txt'), 'worker secret\n');
    writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'probe', version: '1.0.0', scripts: { test: 'sh probes.sh' } }));
    writeFileSync(
      join(workspace, 'probes.sh'),
      [
        'echo passed > test-report.txt',
        `cat ${outside}/worker-secret.txt || echo "probe: read refused"`,
        `curl -sS --max-time 5 http://127.0.0.1:${allowedPort}/ && echo`,
        `curl -sS --max-time 5 http://127.0.0.1:${otherPort}/ || echo "probe: port refused"`,
      ].join('\n'),
    );
    modelServer = await startModelServer({
      responder: (request) => (previousToolUses(request).length === 0 ? reply(toolUse('Bash', { command: 'npm test' })) : reply(text('Tests ran.'))),
    });
    env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
    worker = await startWorkerProcess(env);
  });

  afterAll(async () => {
    await worker?.stop();
    await modelServer?.close();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    rmSync(workspace, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
    if (env) rmSync(env.BATON_HOME!, { recursive: true, force: true });
  });

  it('refuses the probes, lets the allowed port through, and shows the denial in status and baton agent', async () => {
    expect(worker.output()).toContain(`Bash sandboxed (${support.available ? support.version : ''})`);
    const script = join(workspace, 'test-it.js');
    writeFileSync(script, "export const meta = { name: 'sandboxed-tests', description: 'runs npm test' }\nreturn await agent('Run the tests.')\n");
    const run = await runCli(
      ['run', script, '--yes', '--json', '--allow', 'Bash(npm test:*)', '--allow-net', `127.0.0.1:${allowedPort}`, '--workspace', workspace],
      { env, cwd: workspace },
    );
    expect(run.code, run.stderr).toBe(0);
    const { workflowId, result } = JSON.parse(run.stdout) as { workflowId: string; result: unknown };
    expect(result).toBe('Tests ran.');

    const [toolResult] = toolResults(modelServer.requests.at(-1)!.body);
    const content = String(toolResult!.content);
    expect(toolResult!.is_error).toBe(true);
    expect(content).toContain('probe: read refused');
    expect(content).toContain('allowed server');
    expect(content).toContain('probe: port refused');
    expect(content).not.toContain('worker secret');
    expect(content).not.toContain('other server');
    expect(content).toContain(`- read: ${outside}/worker-secret.txt`);
    expect(content).toContain(`- network: 127.0.0.1:${otherPort}`);
    expect(content.match(/^- /gm)).toHaveLength(2);
    expect(readFileSync(join(workspace, 'test-report.txt'), 'utf8')).toBe('passed\n');

    const status = await runCli(['status', workflowId], { env });
    expect(status.stdout).toMatch(/a1 .*sandbox denied read /);
    const agent = await runCli(['agent', workflowId, 'a1', '--json'], { env });
    const detail = JSON.parse(agent.stdout) as { recentToolCalls: string[] };
    expect(detail.recentToolCalls).toEqual([expect.stringMatching(/^sandbox denied read .*worker-secret\.txt \(\+1\): Bash \{"command":"npm test"\}$/)]);
  });
});
