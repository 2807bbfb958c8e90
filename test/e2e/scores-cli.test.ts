// Scores and comparisons as a user meets them (docs/scores.md): `baton score` on an ended run, the
// report's cost per point, `baton ls --query` and `--sort cost-per:NAME`, `baton compare` on two runs
// of one script with different args, on two scripts and on a rerun, and `baton run --variant` /
// `--compare-with` on the test model.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startModelServer, type ModelServer } from '../model-server/index.js';
import { waitFor } from '../harness/wait-for.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'baton-scores-'));

beforeAll(async () => {
  modelServer = await startModelServer();
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(env.BATON_HOME!, { recursive: true, force: true });
});

function scriptFile(name: string, body: string): string {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, `export const meta = { name: '${name}', description: 'a scores test' }\n${body}`);
  return path;
}

/** N lookers; the first two of them "confirm" something. */
const lookers = (tag: string) =>
  `const n = args?.n ?? 1\nconst found = await parallel(Array.from({ length: n }, (_, i) => () => agent('${tag} look ' + i)))\n` +
  `score('confirmed', Math.min(n, 2), { note: 'at most two are real' })\nreturn { found }\n`;

async function baton(...args: string[]) {
  const result = await runCli(args, { env, cwd: dir });
  return { ...result, json: args.includes('--json') && /^[[{]/.test(result.stdout.trim()) ? JSON.parse(result.stdout) : null };
}

type Score = { name: string; value: number; by: string; note: string | null };

describe('baton score on an ended run', () => {
  it('keeps a grade given after the end beside the run: status, report with cost per point, ls', async () => {
    const tag = randomUUID().slice(0, 8);
    const run = await baton('run', scriptFile('graded', lookers(tag)), '--yes', '--json', '--args', '{"n":3}');
    expect(run.code, run.stderr).toBe(0);
    const id = run.json.workflowId as string;
    expect(run.json.scores.map((s: Score) => [s.name, s.value, s.by])).toEqual([['confirmed', 2, 'script']]);

    const graded = await baton('score', id, 'grade', '4', '--note', 'read every finding', '--by', 'ana');
    expect(graded.code, graded.stderr).toBe(0);
    expect(graded.stdout).toContain(`${id}: score grade 4 by ana, kept beside the ended run`);
    const again = await baton('score', id, 'grade', '5', '--by', 'ana');
    expect(again.stdout).toContain('score grade 5 (was 4) by ana');
    const refused = await baton('score', id, 'grade', 'high');
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe('baton score: the value is a number or true/false, got "high".');

    const status = await baton('status', id, '--json');
    expect(status.json.scores.map((s: Score) => [s.name, s.value, s.by, s.note])).toEqual([
      ['confirmed', 2, 'script', 'at most two are real'],
      ['grade', 5, 'ana', null],
    ]);
    const text = await baton('status', id);
    expect(text.stdout).toContain('scores: confirmed 2 ("at most two are real") · grade 5 (ana)');

    // The report: what a point of each score cost.
    const cost = status.json.costUsd as number;
    expect(cost).toBeGreaterThan(0);
    const report = await baton('report', id);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(`| confirmed | 2 | $${(cost / 2).toFixed(4)} | script | at most two are real |`);
    expect(report.stdout).toContain(`| grade | 5 | $${(cost / 5).toFixed(4)} | ana |  |`);
  });

  it('ls finds runs by their scores (--query) and sorts them by cost per point', async () => {
    const tag = randomUUID().slice(0, 8);
    const one = await baton('run', scriptFile('cheap', lookers(tag)), '--yes', '--json', '--args', '{"n":1}');
    const three = await baton('run', scriptFile('dear', lookers(tag)), '--yes', '--json', '--args', '{"n":3}');
    const unscored = await baton('run', scriptFile('unscored', `return await agent('${tag} plain')\n`), '--yes', '--json');
    expect([one.code, three.code, unscored.code]).toEqual([0, 0, 0]);
    const both = `(WorkflowId = '${one.json.workflowId}' OR WorkflowId = '${three.json.workflowId}')`;
    const all = `(${both.slice(1, -1)} OR WorkflowId = '${unscored.json.workflowId}')`;
    let listed: Array<{ workflowId: string; scores: Record<string, number> }> = [];
    await waitFor('both runs listed with their scores', async () => {
      listed = (await baton('ls', '--json', '--query', `${both} AND BatonScores = 'confirmed'`)).json;
      return listed.length === 2 && (await baton('ls', '--json', '--query', all)).json.length === 3;
    });
    const ungraded = await baton('ls', '--json', '--query', `${both} AND BatonScores = 'grade'`);
    expect(ungraded.json).toEqual([]);
    // Cheapest point first (prompt caching decides which that is), a run without the score last.
    const perPoint = [
      { id: one.json.workflowId, per: one.json.costUsd / 1 },
      { id: three.json.workflowId, per: three.json.costUsd / 2 },
    ].sort((x, y) => x.per - y.per);
    expect(perPoint[0]!.per).toBeLessThan(perPoint[1]!.per);
    const sorted = await baton('ls', '--json', '--query', all, '--sort', 'cost-per:confirmed');
    expect(sorted.json.map((r: { workflowId: string }) => r.workflowId)).toEqual([...perPoint.map((p) => p.id), unscored.json.workflowId]);
    expect(sorted.json.find((r: { workflowId: string }) => r.workflowId === three.json.workflowId).scores).toEqual({ confirmed: 2 });
    const table = await baton('ls', '--query', both, '--sort', 'cost-per:confirmed');
    expect(table.stdout.split('\n')[0]).toContain('COST/confirmed');
    const bad = await baton('ls', '--sort', 'cheapest');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--sort takes cost-per:NAME');
  });
});

describe('baton compare', () => {
  it('two runs of one script with different args: args, agents, scores with cost per point, the results', async () => {
    const tag = randomUUID().slice(0, 8);
    const path = scriptFile('compare-args', lookers(tag));
    const a = await baton('run', path, '--yes', '--json', '--args', '{"n":1}');
    const b = await baton('run', path, '--yes', '--json', '--args', '{"n":3}');
    const c = (await baton('compare', a.json.workflowId, b.json.workflowId, '--json')).json;
    expect(c.script).toEqual({ same: true, diff: null });
    expect(c.args).toEqual({ same: false, a: { n: 1 }, b: { n: 3 } });
    expect([c.a.agents.total, c.b.agents.total]).toEqual([1, 3]);
    expect(c.scores).toEqual([
      {
        name: 'confirmed',
        a: { value: 1, kind: 'number', costPerPoint: a.json.costUsd, by: 'script' },
        b: { value: 2, kind: 'number', costPerPoint: b.json.costUsd / 2, by: 'script' },
      },
    ]);
    expect(c.result.changes).toEqual([
      { path: 'result.found[1]', kind: 'added', b: `echo: ${tag} look 1` },
      { path: 'result.found[2]', kind: 'added', b: `echo: ${tag} look 2` },
    ]);

    const text = await baton('compare', a.json.workflowId, b.json.workflowId);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`compare ${a.json.workflowId} (A) with ${b.json.workflowId} (B)`);
    expect(text.stdout).toContain('args:\n  A {"n":1}\n  B {"n":3}');
    expect(text.stdout).toContain('script: the same source');
    expect(text.stdout).toMatch(/score confirmed\s+1 \(\$[\d.]+\/pt\)\s+2 \(\$[\d.]+\/pt\)/);
    expect(text.stdout).toContain('result: 2 differences');
  });

  it('two scripts: a diff of their sources; a rerun: the calls it reused', async () => {
    const tag = randomUUID().slice(0, 8);
    const a = await baton('run', scriptFile('compare-one', `return await agent('${tag} one')\n`), '--yes', '--json');
    const b = await baton('run', scriptFile('compare-two', `const x = await agent('${tag} one')\nreturn [x, await agent('${tag} two')]\n`), '--yes', '--json');
    const text = await baton('compare', a.json.workflowId, b.json.workflowId);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(['script:', `--- a/compare-one.js`, `+++ b/compare-two.js`].join('\n'));
    expect(text.stdout).toContain(`-return await agent('${tag} one')`);
    expect(text.stdout).toContain(`+const x = await agent('${tag} one')`);
    expect(text.stdout).toContain(`~ result: "echo: ${tag} one" → ["echo: ${tag} one","echo: ${tag} two"]`);

    const rerun = await baton('rerun', b.json.workflowId, '--from', 'a2', '--yes', '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    const reused = await baton('compare', b.json.workflowId, rerun.json.workflowId);
    // --from a2 offers the calls before a2: the one it reused, then a2 and on ran live.
    expect(reused.stdout).toContain(`reused: B took 1 of 1 calls from ${b.json.workflowId} (prefix)\n  a1 ${tag} one\n  first live call: a2 ${tag} two`);
    expect(reused.stdout).toContain('result: the same');
  });

  it('an unknown run is a one-line error', async () => {
    const result = await baton('compare', 'no-such-run-1', 'no-such-run-2');
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr.trim()).toBe("baton: no run with id no-such-run-1 on this server. 'baton ls' lists recent runs.");
    const known = await baton('run', scriptFile('compare-known', 'return 1\n'), '--yes', '--json');
    const second = await baton('compare', known.json.workflowId, 'no-such-run-2');
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr.trim()).toBe("baton: no run with id no-such-run-2 on this server. 'baton ls' lists recent runs.");
  });
});

describe('baton run --variant and --compare-with', () => {
  it('runs the base and each variant on the test model, and compares each with the base when all end', async () => {
    const tag = randomUUID().slice(0, 8);
    const path = scriptFile('variants', lookers(tag));
    const result = await baton('run', path, '--yes', '--json', '--args', '{"n":1}', '--variant', 'two={"n":2}', '--variant', 'four={"n":4}');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.runs.map((r: { variant: string; status: string; agents: { total: number } }) => [r.variant, r.status, r.agents.total])).toEqual([
      ['base', 'completed', 1],
      ['two', 'completed', 2],
      ['four', 'completed', 4],
    ]);
    expect(result.json.comparisons.map((c: { a: { workflowId: string }; args: { b: unknown } }) => [c.a.workflowId, c.args.b])).toEqual([
      [result.json.runs[0].workflowId, { n: 2 }],
      [result.json.runs[0].workflowId, { n: 4 }],
    ]);
    expect(result.json.comparisons[1].scores[0]).toMatchObject({ name: 'confirmed', a: { value: 1 }, b: { value: 2 } });

    const text = await baton(
      'run',
      path,
      '--yes',
      '--compare-with',
      scriptFile('variants-other', `score('confirmed', 0)\nreturn await agent('${tag} other')\n`),
    );
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/started base: variants-/);
    expect(text.stdout).toMatch(/^== base against other\ncompare variants-\S+ \(A\) with variants-other-\S+ \(B\)/);
    expect(text.stdout).toMatch(/score confirmed\s+1 \(\$[\d.]+\/pt\)\s+0 \(no points\)/);

    const bad = await baton('run', path, '--yes', '--variant', 'two={n:2}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--variant two: its args must be JSON');
  });
});
