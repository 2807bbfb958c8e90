// The seed's review-and-verify script, run through the `baton` CLI as a user runs it: a real
// dev server, a real worker process, the real Anthropic SDK talking to the test model server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { firstUserText, hasTool, reply, startModelServer, structured, text, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const reviewScript = fileURLToPath(new URL('../../examples/review-changes.js', import.meta.url));

// Findings the reviewers report, and which of them the skeptics fail to refute.
const FINDINGS_BY_PROMPT: Record<string, string[]> = {
  'Find correctness bugs': ['off-by-one in pager', 'unchecked null in parser'],
  'Find performance regressions': ['N+1 query in listing'],
};
const REAL = new Set(['off-by-one in pager', 'N+1 query in listing']);

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  modelServer = await startModelServer({
    responder: (request) => {
      const prompt = firstUserText(request);
      if (!hasTool(request, 'StructuredOutput')) return reply(text(`echo: ${prompt}`));
      for (const [key, titles] of Object.entries(FINDINGS_BY_PROMPT)) {
        if (prompt.includes(key)) return reply(structured({ findings: titles.map((title) => ({ title })) }));
      }
      const refuted = [...REAL].every((title) => !prompt.includes(title));
      return reply(structured({ real: !refuted, reason: refuted ? 'could not reproduce' : 'reproduced' }));
    },
  });
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
});

describe('baton run examples/review-changes.js', () => {
  it('returns the confirmed findings, in order, with the documented JSON and exit 0', async () => {
    const run = await runCli(['run', reviewScript, '--yes', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.status).toBe('completed');
    expect(summary.error).toBeNull();
    expect(summary.result.confirmed.map((f: { title: string }) => f.title)).toEqual(['off-by-one in pager', 'N+1 query in listing']);
    expect(summary.agents).toMatchObject({ total: 5, succeeded: 5, failed: 0, cached: 0, stopped: 0 });
    expect(summary.phases.map((p: { title: string; agents: number }) => [p.title, p.agents])).toEqual([
      ['Review', 2],
      ['Verify', 3],
    ]);
    expect(summary.tokens.input + summary.tokens.cacheWrite + summary.tokens.cacheRead).toBeGreaterThan(0);
    expect(summary.tokens.output).toBeGreaterThan(0);
    expect(summary.costUsd).toBeGreaterThan(0);
    expect(summary.workflowId).toMatch(/^review-changes-/);
    // What the review was worth: three found, two survived their skeptic, one refuted.
    expect(summary.scores.map((s: { name: string; value: number }) => [s.name, s.value])).toEqual([
      ['findings', 3],
      ['confirmed', 2],
      ['refuted', 1],
    ]);

    // The Verify phase declares `model: 'haiku'`; the Review phase uses the run's default.
    const models = modelServer.requests.map((r) => [firstUserText(r.body).slice(0, 20), r.body.model]);
    expect(models.filter(([, m]) => m === 'claude-haiku-5-5')).toHaveLength(3);
    expect(models.filter(([, m]) => m === 'claude-sonnet-5-5')).toHaveLength(2);
  });

  it('answers status and result for the run id afterwards', async () => {
    const run = await runCli(['run', reviewScript, '--yes', '--detach', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const { workflowId } = JSON.parse(run.stdout);

    let status: { status: string; agentList: unknown[] } = { status: 'running', agentList: [] };
    for (let i = 0; i < 60 && status.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const answer = await runCli(['status', workflowId, '--json'], { env });
      expect(answer.code, answer.stderr).toBe(0);
      status = JSON.parse(answer.stdout);
    }
    expect(status.status).toBe('completed');
    expect(status.agentList).toHaveLength(5);

    const result = await runCli(['result', workflowId, '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).result.confirmed).toHaveLength(2);
  });
});

describe('a script that throws', () => {
  it('ends the run failed, names the script line, and exits 1', async () => {
    const path = join(tempDir('baton-throw-'), 'throws.js');
    writeFileSync(
      path,
      `export const meta = { name: 'throws', description: 'throws on line 4' }\n\nconst n = await agent('count')\nthrow new Error('no luck: ' + n)\n`,
    );
    const run = await runCli(['run', path, '--yes', '--json'], { env });
    expect(run.code, run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatchObject({ line: 4 });
    expect(summary.error.message).toContain('no luck: echo: count');
    expect(summary.agents).toMatchObject({ total: 1, succeeded: 1 });
  });
});
