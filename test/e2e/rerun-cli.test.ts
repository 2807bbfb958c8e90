// `baton rerun RUN [--failed | --from AGENT_ID]` as a user runs it (docs/runs.md#resuming-an-edited-script), and the reuse
// report of every resumed or rerun run: how many calls it reused, and what changed at the first miss.
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { badRequest, echoResponder, firstUserText, startModelServer, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
const dir = tempDir('baton-rerun-');
const asked = new Map<string, number>();

beforeAll(async () => {
  modelServer = await startModelServer({
    // Echo; a prompt with `[flaky]` is refused (400) the first time it is asked, answered after.
    responder: async (request, ctx) => {
      const prompt = firstUserText(request);
      asked.set(prompt, (asked.get(prompt) ?? 0) + 1);
      if (prompt.includes('[flaky]') && asked.get(prompt) === 1) return badRequest('this agent was told to fail once');
      return echoResponder(request, ctx);
    },
  });
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
});

function scriptFile(name: string, body: string): string {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, `export const meta = { name: '${name}', description: 'a rerun test' }\n${body}`);
  return path;
}

/** `baton ...`, with the prompts the model got meanwhile. */
async function baton(...args: string[]) {
  const before = modelServer.requests.length;
  const result = await runCli(args, { env, cwd: dir });
  const prompts = modelServer.requests.slice(before).map((r) => firstUserText(r.body));
  return { ...result, prompts, summary: args.includes('--json') && result.stdout.trim().startsWith('{') ? JSON.parse(result.stdout) : null };
}

const threeSteps = (tag: string) =>
  `const one = await agent('${tag} one')\nconst two = await agent('${tag} two [flaky]')\nconst three = await agent('${tag} three')\nreturn { one, two, three }\n`;

describe('baton rerun', () => {
  it("--failed reruns only the failed agent, with the run's own script and args; the report says what was reused", async () => {
    const tag = randomUUID().slice(0, 8);
    const first = await baton('run', scriptFile('rerun-failed', threeSteps(tag)), '--yes', '--json', '--args', '{"n":1}');
    expect(first.code, first.stderr).toBe(3);
    expect(first.summary.agents).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
    // docs/cli.md#runs-exit-codes-and-errors: Temporal's run id names the run as well as the workflow id does.
    const byRunId = await baton('status', first.summary.runId, '--json');
    expect(byRunId.code, byRunId.stderr).toBe(3);
    expect(byRunId.summary).toMatchObject({ workflowId: first.summary.workflowId, runId: first.summary.runId });

    const again = await baton('rerun', first.summary.workflowId, '--failed', '--yes', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.prompts).toEqual([`${tag} two [flaky]`]);
    expect(again.summary.agents).toMatchObject({ total: 3, cached: 2, succeeded: 1, failed: 0 });
    expect(again.summary.result).toEqual({ one: `echo: ${tag} one`, two: `echo: ${tag} two [flaky]`, three: `echo: ${tag} three` });
    expect(again.summary.reuse).toMatchObject({ fromRunId: first.summary.workflowId, reused: 2, offered: 3 });
    expect(again.summary.reuse.firstMiss).toMatchObject({ agentId: 'a2', reason: 'the earlier call failed' });

    // Without --json the end lines say it; the run is named by Temporal's run id this time.
    const text = await baton('rerun', again.summary.runId, '--from', 'a3', '--yes');
    expect(text.code, text.stderr).toBe(0);
    expect(text.prompts).toEqual([`${tag} three`]);
    expect(text.stderr).toContain(`↺ reused 2 of 2 calls from ${again.summary.workflowId}`);
    expect(text.stderr).toContain(`first miss: a3 "${tag} three": run again from here (--from a3)`);
  });

  it('--from AGENT reuses what came before it and runs it and the rest again', async () => {
    const tag = randomUUID().slice(0, 8);
    const first = await baton('run', scriptFile('rerun-from', threeSteps(tag)), '--yes', '--json');
    expect(first.code, first.stderr).toBe(3);
    const again = await baton('rerun', first.summary.workflowId, '--from', 'a2', '--yes', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.prompts).toEqual([`${tag} two [flaky]`, `${tag} three`]);
    expect(again.summary.agents).toMatchObject({ total: 3, cached: 1, succeeded: 2 });

    const unknown = await baton('rerun', first.summary.workflowId, '--from', 'a9', '--yes');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no ended agent a9; its agents are a1, a2, a3');
    expect(unknown.prompts).toEqual([]);
  });

  it('an edited script resumed with --resume-from names the first miss and the field that changed', async () => {
    const tag = randomUUID().slice(0, 8);
    const v1 = await baton(
      'run',
      scriptFile('resume-v1', `return [await agent('${tag} a'), await agent('${tag} b'), await agent('${tag} c')]\n`),
      '--yes',
      '--json',
    );
    expect(v1.code, v1.stderr).toBe(0);
    const v2 = await baton(
      'run',
      scriptFile('resume-v2', `return [await agent('${tag} a'), await agent('${tag} B!'), await agent('${tag} c', { model: 'haiku' })]\n`),
      '--yes',
      '--resume-from',
      v1.summary.workflowId,
    );
    expect(v2.code, v2.stderr).toBe(0);
    expect(v2.stderr).toContain(`↺ reused 1 of 3 calls from ${v1.summary.workflowId}`);
    expect(v2.stderr).toContain(`first miss: a2 "${tag} B!": prompt changed since the earlier a2`);
  });

  it('a run still going is neither rerun nor resumed from', async () => {
    const open = await baton('run', scriptFile('rerun-open', `return await approve('Hold on?')\n`), '--yes', '--detach', '--json');
    expect(open.code, open.stderr).toBe(0);
    const id = open.summary.workflowId;
    const rerun = await baton('rerun', id, '--failed', '--yes');
    expect(rerun.code).toBe(2);
    expect(rerun.stderr).toContain(`Run ${id} is still running`);
    const resumed = await baton('run', scriptFile('rerun-open-2', 'return 1\n'), '--yes', '--resume-from', id);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain(`Run ${id} is still running`);
    const stop = await baton('stop', id);
    expect(stop.code, stop.stderr).toBe(0);
  });

  it('args given as a string of JSON run as that string, with a warning even under --yes', async () => {
    const result = await baton('run', scriptFile('args-string', 'return typeof args\n'), '--yes', '--json', '--args', JSON.stringify('{"n":1}'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.summary.result).toBe('string');
    expect(result.stderr).toContain('warning: args is a string holding JSON (an object)');
  });

  it('--failed and --from together are a usage error', async () => {
    const result = await baton('rerun', 'whatever', '--failed', '--from', 'a1');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--failed and --from exclude each other');
  });
});
