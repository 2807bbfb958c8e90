// Resume from an earlier run (docs/runs.md#resuming-an-edited-script): an edited script reuses the earlier run's agent results
// for the calls it did not change, read from the earlier run's journal as `baton run
// --resume-from` reads it. What the model server saw tells which agents really ran.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchResumeSource } from '../../client/resume-source.js';
import type { ReuseMode } from '../../contract/call-journal.js';
import { defaultModelTable } from '../../contract/models.js';
import { costUsd } from '../../contract/pricing.js';
import type { RunReport } from '../../contract/run-types.js';
import { firstUserText } from '../model-server/index.js';
import { bundleInterpreter, directiveResponder, script, startHarness, type Harness } from './interpreter-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder: directiveResponder() });
});
afterAll(async () => h?.close());

/** Four sequential agents; `third` is the third one's prompt. Prompts carry `tag` to tell runs apart. */
function fourSteps(tag: string, third = 'step C', options: Record<string, string> = {}): string {
  const call = (prompt: string) => `await agent(${JSON.stringify(`${tag} ${prompt}`)}${options[prompt] ? `, ${options[prompt]}` : ''})`;
  return script('const out = [];\n' + ['step A', 'step B', third, 'step D'].map((prompt) => `out.push(${call(prompt)});`).join('\n') + '\nreturn out;');
}

/** Runs `source` resuming from `fromId`; returns its report and the prompts the model server got meanwhile. */
async function resumed(source: string, fromId: string, mode: ReuseMode): Promise<{ report: RunReport; prompts: string[] }> {
  const { resume } = await fetchResumeSource(h.client, fromId, mode);
  const before = h.modelServer.requests.length;
  const report = await h.run(source, { resume });
  return { report, prompts: h.modelServer.requests.slice(before).map((r) => firstUserText(r.body)) };
}

async function firstRun(source: string): Promise<{ id: string; report: RunReport }> {
  const id = `resume-source-${randomUUID()}`;
  return { id, report: await h.run(source, { workflowId: id }) };
}

const priced = (agents: RunReport['agentList']) => agents.reduce((sum, a) => sum + costUsd(a.model, a.tokens, defaultModelTable()), 0);

describe('--resume-from, prefix mode', () => {
  it('reuses the unchanged calls before the first change; the changed call and every call after it run live', async () => {
    const tag = randomUUID().slice(0, 8);
    const v1 = await firstRun(fourSteps(tag));
    expect(v1.report.agents).toMatchObject({ total: 4, succeeded: 4 });

    const { report, prompts } = await resumed(fourSteps(tag, 'step C edited'), v1.id, 'prefix');
    expect(report.status).toBe('completed');
    expect(report.result).toEqual([`echo: ${tag} step A`, `echo: ${tag} step B`, `echo: ${tag} step C edited`, `echo: ${tag} step D`]);
    // D is unchanged but comes after the first change: Claude Code's semantics run it again.
    expect(prompts).toEqual([`${tag} step C edited`, `${tag} step D`]);
    expect(report.agentList.map((a) => [a.id, a.state])).toEqual([
      ['a1', 'cached'],
      ['a2', 'cached'],
      ['a3', 'succeeded'],
      ['a4', 'succeeded'],
    ]);
    expect(report.agents).toMatchObject({ total: 4, succeeded: 2, cached: 2, failed: 0 });
    for (const cached of report.agentList.slice(0, 2)) expect(cached.tokens).toEqual({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
    // Only the live agents cost anything: the run's cost is theirs, and less than the first run's.
    const live = report.agentList.slice(2);
    expect(report.tokens.input).toBe(live.reduce((sum, a) => sum + a.tokens.input, 0));
    expect(report.costUsd).toBeGreaterThan(0);
    expect(report.costUsd).toBeLessThan(v1.report.costUsd);
    expect(report.costUsd).toBeCloseTo(priced(live), 12);
  });

  it('runs a failed call again, and everything after it', async () => {
    const tag = randomUUID().slice(0, 8);
    const source = fourSteps(tag).replace(`${tag} step B`, `${tag} step B [fail]`);
    const v1 = await firstRun(source);
    expect(v1.report.agents).toMatchObject({ succeeded: 3, failed: 1 });

    const { report, prompts } = await resumed(source, v1.id, 'prefix');
    expect(prompts).toEqual([`${tag} step B [fail]`, `${tag} step C`, `${tag} step D`]);
    expect(report.agentList.map((a) => a.state)).toEqual(['cached', 'failed', 'succeeded', 'succeeded']);
    expect(report.result).toEqual([`echo: ${tag} step A`, null, `echo: ${tag} step C`, `echo: ${tag} step D`]);
  });

  it('treats a call with another model as a changed call', async () => {
    const tag = randomUUID().slice(0, 8);
    const v1 = await firstRun(fourSteps(tag));
    const { report, prompts } = await resumed(fourSteps(tag, 'step C', { 'step B': "{ model: 'haiku' }" }), v1.id, 'prefix');
    expect(prompts).toEqual([`${tag} step B`, `${tag} step C`, `${tag} step D`]);
    expect(report.agents).toMatchObject({ cached: 1, succeeded: 3 });
  });

  it('reuses what a resumed run itself reused: a cached call succeeded in the run before', async () => {
    const tag = randomUUID().slice(0, 8);
    const v1 = await firstRun(fourSteps(tag));
    const v2Source = fourSteps(tag, 'step C edited');
    const v2Id = `resume-source-${randomUUID()}`;
    const { resume } = await fetchResumeSource(h.client, v1.id, 'prefix');
    await h.run(v2Source, { workflowId: v2Id, resume });

    const { report, prompts } = await resumed(v2Source, v2Id, 'prefix');
    expect(prompts).toEqual([]);
    expect(report.agents).toMatchObject({ total: 4, cached: 4 });
    expect(report.costUsd).toBe(0);
  });
});

describe('--resume-from, any mode', () => {
  it('reuses every unchanged call wherever it is, and runs only the changed one', async () => {
    const tag = randomUUID().slice(0, 8);
    const v1 = await firstRun(fourSteps(tag));

    const { report, prompts } = await resumed(fourSteps(tag, 'step C edited'), v1.id, 'any');
    expect(prompts).toEqual([`${tag} step C edited`]);
    expect(report.agentList.map((a) => a.state)).toEqual(['cached', 'cached', 'succeeded', 'cached']);
    expect(report.agents).toMatchObject({ total: 4, succeeded: 1, cached: 3 });
    expect(report.result).toEqual([`echo: ${tag} step A`, `echo: ${tag} step B`, `echo: ${tag} step C edited`, `echo: ${tag} step D`]);
  });

  it('reuses each earlier result once: a call repeated more often than before runs live the extra times', async () => {
    const tag = randomUUID().slice(0, 8);
    const twice = script(`return [await agent('${tag} vote'), await agent('${tag} vote')];`);
    const thrice = script(`return [await agent('${tag} vote'), await agent('${tag} vote'), await agent('${tag} vote')];`);
    const v1 = await firstRun(twice);
    const { report, prompts } = await resumed(thrice, v1.id, 'any');
    expect(prompts).toEqual([`${tag} vote`]);
    expect(report.agentList.map((a) => a.state)).toEqual(['cached', 'cached', 'succeeded']);
  });
});

describe('the batonJournal query', () => {
  it("answers for a closed run with each ended call's key, outcome and usage, and the run's args", async () => {
    const tag = randomUUID().slice(0, 8);
    const id = `resume-source-${randomUUID()}`;
    await h.run(script(`return [await agent('${tag} one'), await agent('${tag} two [fail]')];`), { workflowId: id, args: { n: 1 } });
    const { resume, args } = await fetchResumeSource(h.client, id, 'prefix');
    expect(args).toEqual({ n: 1 });
    expect(resume.fromRunId).toBe(id);
    expect(resume.entries.map((e) => [e.agentId, e.state, e.result])).toEqual([
      ['a1', 'succeeded', `echo: ${tag} one`],
      ['a2', 'failed', null],
    ]);
    expect(resume.entries[0]!.key).toMatch(/^[0-9a-f]{32}$/);
    expect(resume.entries[0]!.key).not.toBe(resume.entries[1]!.key);
    expect(resume.entries[0]!.usage.output).toBeGreaterThan(0);
    expect(resume.entries[1]!.error).toContain('this test agent was told to fail');
  });
});
