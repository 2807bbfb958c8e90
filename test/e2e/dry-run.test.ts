// `baton check --dry-run`: the script runs on a real worker with placeholder agents, and no
// request reaches the model server.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reply, startModelServer, text, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const reviewScript = fileURLToPath(new URL('../../examples/review-changes.js', import.meta.url));

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  modelServer = await startModelServer({ responder: () => reply(text('a real answer')) });
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
});

function scriptFile(name: string, source: string): string {
  const path = join(tempDir('baton-dry-'), name);
  writeFileSync(path, source);
  return path;
}

describe('baton check --dry-run', () => {
  it('runs review-changes with placeholder agents: agents per phase, a cost range, no model request', async () => {
    const run = await runCli(['check', reviewScript, '--dry-run', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.workflowId).toMatch(/^dry-run-review-changes-/);
    expect(out.status).toBe('completed');
    // One placeholder finding per review, so one verifier each.
    expect(out.phases).toEqual([
      { title: 'Review', agents: 2, models: ['claude-sonnet-5-5'] },
      { title: 'Verify', agents: 2, models: ['claude-haiku-5-5'] },
    ]);
    expect(out.agents).toBe(4);
    expect(out.costUsd.low).toBeGreaterThan(0);
    expect(out.costUsd.high).toBeGreaterThan(out.costUsd.low);
    expect(modelServer.requests).toHaveLength(0);
  });

  it('prints a readable summary without --json', async () => {
    const run = await runCli(['check', reviewScript, '--dry-run'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Review\s+2 agents\s+claude-sonnet-5-5/);
    expect(run.stdout).toMatch(/Verify\s+2 agents\s+claude-haiku-5-5/);
    expect(run.stdout).toMatch(/4 agents · estimated cost \$\d+\.\d\d–\$\d+\.\d\d/);
    expect(modelServer.requests).toHaveLength(0);
  });

  it('passes --args to the script, and agents without a schema get a text placeholder', async () => {
    const path = scriptFile(
      'args.js',
      `export const meta = { name: 'dry-args', description: 'uses args', phases: [{ title: 'Work' }] }\n` +
        `phase('Work')\n` +
        `const answers = await parallel(args.files.map(f => () => agent('Summarize ' + f, { label: 'sum ' + f })))\n` +
        `if (answers[0] !== '[dry run: sum a.ts]') throw new Error('unexpected placeholder: ' + answers[0])\n` +
        `return answers\n`,
    );
    const run = await runCli(['check', path, '--dry-run', '--json', '--args', '{"files":["a.ts","b.ts","c.ts"]}', '--model', 'opus'], { env });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.phases).toEqual([{ title: 'Work', agents: 3, models: ['claude-opus-5-5'] }]);
    expect(out.agents).toBe(3);
    // opus 5.5: 3 × (2k × $4 + 500 × $20) / 1M, and 3 × (20k × $4 + 4k × $20) / 1M
    expect(out.costUsd.low).toBeCloseTo(0.054, 6);
    expect(out.costUsd.high).toBeCloseTo(0.48, 6);
    expect(modelServer.requests).toHaveLength(0);
  });

  it('reports a script error with its line and exits 1', async () => {
    const path = scriptFile(
      'throws.js',
      `export const meta = { name: 'dry-throws', description: 'd' }\nconst r = await agent('x')\nthrow new Error('boom ' + r)\n`,
    );
    const run = await runCli(['check', path, '--dry-run'], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path}:3:`);
    expect(run.stderr).toContain('boom [dry run: x]');
  });

  it('says so, and exits 1, when no worker polls the task queue', async () => {
    const lonely = cliEnv(inject('temporalAddress'));
    const run = await runCli(['check', reviewScript, '--dry-run'], { env: lonely });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no worker polls task queue');
    expect(run.stderr).toContain('baton worker');
  });

  it('says so, and exits 1, when Temporal is unreachable', async () => {
    const port = await freePort();
    const run = await runCli(['check', reviewScript, '--dry-run'], { env: cliEnv(`127.0.0.1:${port}`) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cannot reach Temporal');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
