// `baton run --resume-from RUN_ID` as a user runs it (docs/runs.md#resuming-an-edited-script): an edited script reuses the
// earlier run's unchanged agents and its args, unless new args are given.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { echoResponder, firstUserText, startModelServer, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const META = `export const meta = { name: 'resume-e2e', description: 'three steps over a topic' }\n`;
const script = (third: string) =>
  `${META}const outline = await agent('Outline ' + args.topic)\n` +
  `const draft = await agent('Draft ' + args.topic)\n` +
  `const last = await agent('${third} ' + args.topic)\n` +
  `return { outline, draft, last }\n`;

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  modelServer = await startModelServer({ responder: echoResponder });
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
  dir = tempDir('baton-resume-');
  writeFileSync(join(dir, 'v1.js'), script('Review'));
  writeFileSync(join(dir, 'v2.js'), script('Critique'));
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
});

/** `baton run FILE --yes --json ...flags`: exit code, parsed summary, and the prompts the model got meanwhile. */
async function run(file: string, ...flags: string[]) {
  const before = modelServer.requests.length;
  const result = await runCli(['run', join(dir, file), '--yes', '--json', ...flags], { env, cwd: dir });
  const prompts = modelServer.requests.slice(before).map((r) => firstUserText(r.body));
  return { code: result.code, stderr: result.stderr, summary: result.code === 0 ? JSON.parse(result.stdout) : null, prompts };
}

describe('baton run --resume-from', () => {
  it("reuses the unchanged agents and the earlier run's args; new --args make new calls", async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    const v1 = await run('v1.js', '--args', JSON.stringify({ topic }));
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.prompts).toEqual([`Outline ${topic}`, `Draft ${topic}`, `Review ${topic}`]);

    // No --args: the earlier run's are reused, so the first two calls are unchanged.
    const v2 = await run('v2.js', '--resume-from', v1.summary.workflowId);
    expect(v2.code, v2.stderr).toBe(0);
    expect(v2.prompts).toEqual([`Critique ${topic}`]);
    expect(v2.summary.agents).toMatchObject({ total: 3, succeeded: 1, cached: 2, failed: 0 });
    expect(v2.summary.result).toEqual({ outline: `echo: Outline ${topic}`, draft: `echo: Draft ${topic}`, last: `echo: Critique ${topic}` });
    expect(v2.summary.costUsd).toBeLessThan(v1.summary.costUsd);

    // New --args: every prompt changes, so nothing is reused.
    const other = `${topic}-b`;
    const v3 = await run('v2.js', '--resume-from', v1.summary.workflowId, '--reuse', 'any', '--args', JSON.stringify({ topic: other }));
    expect(v3.code, v3.stderr).toBe(0);
    expect(v3.prompts).toEqual([`Outline ${other}`, `Draft ${other}`, `Critique ${other}`]);
    expect(v3.summary.agents).toMatchObject({ total: 3, succeeded: 3, cached: 0 });
  });

  it('--reuse without --resume-from is a usage error', async () => {
    const result = await run('v1.js', '--reuse', 'any', '--args', '{"topic":"x"}');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--reuse needs --resume-from RUN_ID');
    expect(result.prompts).toEqual([]);
  });

  it('an unknown run to resume from is a usage error that names it', async () => {
    const result = await run('v1.js', '--resume-from', 'no-such-run-123');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No run no-such-run-123 to resume from');
    expect(result.prompts).toEqual([]);
  });
});
