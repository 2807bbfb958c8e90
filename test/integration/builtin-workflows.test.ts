// Every built-in workflow run end to end by the interpreter on a real dev server, against a
// model that answers every schema with one schema-shaped item per array: each phase the meta
// declares starts agents, on the model the phase names, and the run completes.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCompiled, compileScriptFile } from '../../compiler/index.js';
import type { CompiledScript, RunReport } from '../../contract/run-types.js';
import { builtinWorkflowsDir } from '../../library/builtin-dir.js';
import { echoResponder, fakeFromSchema, firstUserText, previousToolUses, reply, structured, type Responder } from '../model-server/index.js';
import { bundleInterpreter, startHarness, type Harness, type RunOverrides } from './interpreter-harness.js';
import { tempDir } from '../harness/temp-dir.js';

const oneOfEverything: Responder = (request, ctx) => {
  const tool = request.tools?.find((t) => t.name === 'StructuredOutput');
  if (tool && !previousToolUses(request).some((t) => t.name === 'StructuredOutput')) {
    // Every judge grades the attempt it sees first 9 and the second 3; each judge sees its own rotation.
    if (firstUserText(request).startsWith('You are judge'))
      return reply(
        structured({
          scores: [
            { attempt: 'A', score: 9 },
            { attempt: 'B', score: 3 },
          ],
        }),
      );
    return reply(structured(fakeFromSchema(tool.input_schema ?? { type: 'object' }, { nonEmptyArrays: true }) as Record<string, unknown>));
  }
  return echoResponder(request, ctx);
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder: oneOfEverything });
});
afterAll(async () => h?.close());

async function runBuiltin(name: string, overrides: RunOverrides): Promise<{ script: CompiledScript; report: RunReport }> {
  const script = assertCompiled(await compileScriptFile(join(builtinWorkflowsDir(), `${name}.js`)));
  const report = await h.run(script, overrides);
  expect(report.error, JSON.stringify(report.error)).toBeNull();
  expect(report.status).toBe('completed');
  expect(report.agents.failed).toBe(0);
  // Every declared phase ran agents, and no agent ran outside the declared phases.
  const declared = (script.meta.phases ?? []).map((p) => p.title);
  expect(
    report.phases
      .filter((p) => p.agents > 0)
      .map((p) => p.title)
      .sort(),
  ).toEqual([...declared].sort());
  for (const phase of script.meta.phases ?? []) {
    if (!phase.model) continue;
    const models = report.agentList.filter((a) => a.phase === phase.title).map((a) => a.model);
    expect(new Set(models), `${phase.title} runs on ${phase.model}`).toEqual(new Set([`claude-${phase.model}-5-5`]));
  }
  return { script, report };
}

/** The run's scores by name, as `baton status --json` shows them. */
const scoresOf = (report: RunReport) => Object.fromEntries((report.scores ?? []).map((s) => [s.name, s.value]));

describe('built-in workflows, run by the interpreter', () => {
  it('review-changes', async () => {
    const { report } = await runBuiltin('review-changes', {});
    expect(report.agents.total).toBe(4);
    expect((report.result as { confirmed: Array<{ title: string }> }).confirmed.map((f) => f.title)).toEqual(['example', 'example']);
    // The model confirms every finding: two found, two confirmed, none refuted.
    expect(scoresOf(report)).toEqual({ findings: 2, confirmed: 2, refuted: 0 });
    expect(report.scores?.find((s) => s.name === 'confirmed')?.note).toBe('findings that survived a skeptic');
  });

  it('review-changes with four reviewers; an unknown dimension fails with the usage', async () => {
    const { report } = await runBuiltin('review-changes', { args: { dimensions: ['bugs', 'perf', 'security', 'tests'] } });
    expect(report.agentList.filter((a) => a.phase === 'Review').map((a) => a.label)).toEqual(['review bugs', 'review perf', 'review security', 'review tests']);
    expect(scoresOf(report)).toEqual({ findings: 4, confirmed: 4, refuted: 0 });
    const script = assertCompiled(await compileScriptFile(join(builtinWorkflowsDir(), 'review-changes.js')));
    const { report: refused } = await h.fail(script, { args: { dimensions: ['style'] } });
    expect(refused.error?.message).toContain('review-changes takes --args \'{"dimensions":["bugs","perf","security","tests"]}\' (any of those), got ["style"]');
  });

  it('adversarial-verify: every claim attacked by three skeptics; a majority of refutations kills it', async () => {
    const { report } = await runBuiltin('adversarial-verify', { args: { claims: ['retries are unbounded', 'the cache never expires'] } });
    expect(report.agents.total).toBe(6);
    const result = report.result as { killed: string[]; survived: string[]; verdicts: Array<{ refutations: number }> };
    // The model refutes everything (`refuted: true`): both claims die, three votes each.
    expect(result.killed).toEqual(['retries are unbounded', 'the cache never expires']);
    expect(result.survived).toEqual([]);
    expect(result.verdicts.map((v) => v.refutations)).toEqual([3, 3]);
    // Every vote on the side of its claim's majority: full agreement.
    expect(scoresOf(report)).toEqual({ survived: 0, killed: 2, undecided: 0, agreement: 1 });
  });

  it('adversarial-verify without claims fails with the usage', async () => {
    const script = assertCompiled(await compileScriptFile(join(builtinWorkflowsDir(), 'adversarial-verify.js')));
    const { report } = await h.fail(script);
    expect(report.error?.message).toContain('adversarial-verify needs claims');
  });

  it('judge-panel: attempts, then judges scoring each one; a winner', async () => {
    const { report } = await runBuiltin('judge-panel', { args: { task: 'name the cache module', attempts: 2, judges: 3 } });
    expect(report.agents.total).toBe(5);
    const result = report.result as { winner: { attempt: string }; ranking: unknown[]; judges: number };
    expect(result.ranking).toHaveLength(2);
    expect(result.judges).toBe(3);
    expect(result.winner.attempt).toBe('A');
    // Judges 1 and 3 see attempt A first (9, 3, 9: mean 7), judge 2 sees B first: two of three put the winner first.
    expect(scoresOf(report)).toEqual({ 'winner-mean': 7, agreement: 0.67 });
  });

  it('deep-research: five phases, three votes a claim, and a clear note that no web tool is available', async () => {
    const { report } = await runBuiltin('deep-research', { args: 'How does the scheduler recover?' });
    // Scope 1, Search 1 angle, Fetch 1 source, Verify 3 votes, Synthesize 1.
    expect(report.agents.total).toBe(7);
    const result = report.result as { note: string; webTools: string[]; claims: unknown[]; report: string };
    expect(result.webTools).toEqual([]);
    expect(result.note).toContain('No web tool (WebSearch, WebFetch) is available to Baton agents');
    expect(report.logs.join('\n')).toContain('No web tool (WebSearch, WebFetch) is available to Baton agents');
    expect(result.claims).toHaveLength(1);
    expect(result.report).toContain('the research covered the workspace only');
    expect(scoresOf(report)).toEqual({ 'verified-claims': 1, 'discarded-claims': 0, sources: 1, agreement: 1 });
  });

  it('cleanup: find, fix in a worktree, review; needs the test command', async () => {
    const repo = tempDir('baton-cleanup-');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    writeFileSync(join(repo, 'index.js'), 'module.exports = 1\n');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
    const { report } = await runBuiltin('cleanup', { workspace: repo, allow: ['Bash(npm test:*)'], args: { testCommand: 'npm test', maxFixes: 2 } });
    expect(report.agents.total).toBe(3);
    const fix = report.agentList.find((a) => a.phase === 'Fix');
    // The model changed nothing, so its worktree's branch was not kept.
    expect(fix?.branch).toBeNull();
    const result = report.result as { fixed: Array<{ title: string }>; branches: string };
    expect(result.fixed.map((f) => f.title)).toEqual(['example']);
    expect(result.branches).toContain('baton status');

    const script = assertCompiled(await compileScriptFile(join(builtinWorkflowsDir(), 'cleanup.js')));
    const { report: refused } = await h.fail(script, { workspace: repo });
    expect(refused.error?.message).toContain("cleanup needs the project's test command");
  });
});
