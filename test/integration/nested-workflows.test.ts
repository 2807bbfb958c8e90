// workflow(nameOrRef, args) as a script author relies on it (docs/runs.md#saved-workflows-and-schedules): a saved workflow runs
// inline with its own args, its agents show under the parent run, it shares the parent's
// concurrency cap, agent counter and budget, nesting stops at one level with an error that names
// the nested file's line, and an unknown name or a broken script is an error the script can catch.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoResponder, firstUserText, type Responder } from '../model-server/index.js';
import { bundleInterpreter, script, startHarness, type Harness } from './interpreter-harness.js';
import { tempDir } from '../harness/temp-dir.js';

let inFlight = 0;
let maxInFlight = 0;

/** Echoes the prompt after `[delay=MS]`, counting the model calls in flight at once. */
const countingResponder: Responder = async (request, ctx) => {
  inFlight += 1;
  maxInFlight = Math.max(maxInFlight, inFlight);
  const delay = Number(/\[delay=(\d+)\]/.exec(firstUserText(request))?.[1] ?? 0);
  await new Promise((resolve) => setTimeout(resolve, delay));
  inFlight -= 1;
  return echoResponder(request, ctx);
};

let h: Harness;
/** A project whose `.claude/workflows/` holds the saved workflows the scripts below call. */
const project = tempDir('baton-nested-');
const savedDir = join(project, '.claude', 'workflows');
const lookup = { scriptLookup: { cwd: project, home: null } };

function save(name: string, body: string, meta: Record<string, unknown> = {}): string {
  const path = join(savedDir, `${name}.js`);
  writeFileSync(path, script(body, { name, description: `nested ${name}`, ...meta }));
  return path;
}

beforeAll(async () => {
  mkdirSync(savedDir, { recursive: true });
  save(
    'triage',
    `phase('Triage')
const found = await parallel(args.files.map((f) => () => agent('triage ' + f + ' [delay=' + (args.delay ?? 0) + ']', { label: 'triage ' + f })));
return { files: args.files, found };`,
    { phases: [{ title: 'Triage', model: 'haiku' }] },
  );
  save('goes-deeper', `const first = await agent('before nesting');\nawait workflow('triage', { files: ['x'] });\nreturn first;`);
  save('broken', 'const x = ;');
  mkdirSync(join(project, 'scripts'));
  writeFileSync(join(project, 'scripts', 'by-path.js'), script(`return 'by path: ' + args.who;`, { name: 'by-path' }));
  h = await startHarness({ bundle: await bundleInterpreter(), responder: countingResponder });
});
afterAll(async () => h?.close());

describe('workflow()', () => {
  it('runs a saved workflow inline with its own args; its agents show under the parent, tagged with its name', async () => {
    const report = await h.run(
      script(`phase('Plan')
const plan = await agent('plan the work');
const triaged = await workflow('triage', { files: ['a.ts', 'b.ts'] });
return { plan, triaged, parentArgs: args };`),
      { ...lookup, args: { mine: true } },
    );
    expect(report.status).toBe('completed');
    expect(report.result).toEqual({
      plan: expect.stringContaining('plan the work'),
      triaged: { files: ['a.ts', 'b.ts'], found: [expect.stringContaining('triage a.ts'), expect.stringContaining('triage b.ts')] },
      parentArgs: { mine: true },
    });
    expect(report.agentList.map((a) => [a.id, a.label, a.phase, a.workflow ?? null])).toEqual([
      ['a1', 'plan the work', 'Plan', null],
      ['a2', 'triage a.ts', 'Triage', 'triage'],
      ['a3', 'triage b.ts', 'Triage', 'triage'],
    ]);
    // The nested workflow's own phase table gives its agents their model.
    expect(report.agentList[1]!.model).toBe('claude-haiku-5-5');
    expect(report.agentList[0]!.model).toBe('claude-sonnet-5-5');
  });

  it('finds a script by { scriptPath }, relative to where the run was started', async () => {
    const report = await h.run(script(`return await workflow({ scriptPath: 'scripts/by-path.js' }, { who: 'me' });`), lookup);
    expect(report.result).toBe('by path: me');
  });

  it('reads only script files: another path is WorkflowNotFoundError, whatever it holds', async () => {
    const report = await h.run(script(`try { await workflow({ scriptPath: '/etc/passwd' }); } catch (e) { return e.name + ': ' + e.message; }`), lookup);
    expect(report.result).toBe(
      'WorkflowNotFoundError: workflow({ scriptPath: "/etc/passwd" }): /etc/passwd: not a script file (a workflow script ends with .js or .ts).',
    );
  });

  it('shares the parent’s concurrency cap and agent counter', async () => {
    maxInFlight = 0;
    const report = await h.run(
      script(`const runs = await parallel([
  () => workflow('triage', { files: ['1', '2', '3'], delay: 300 }),
  () => workflow('triage', { files: ['4', '5', '6'], delay: 300 }),
]);
let refused = null;
try { await agent('one too many'); } catch (e) { refused = e.name; }
return { found: runs.map((r) => r.found.filter((x) => x !== null).length).sort(), refused };`),
      { ...lookup, concurrency: 2, maxAgents: 5 },
    );
    // Five agents in all: the sixth triage call and the parent's last call hit the run's cap.
    expect(report.result).toEqual({ found: [2, 3], refused: 'WorkflowAgentCapError' });
    expect(report.agentList).toHaveLength(5);
    expect(maxInFlight).toBe(2);
  });

  it('shares the budget: a nested agent() throws BudgetExhaustedError once the parent spent it', async () => {
    const report = await h.run(
      script(`await agent('spend the budget');
try { await workflow('goes-deeper'); return 'ran'; } catch (e) { return e.name + ' ' + budget.remaining(); }`),
      { ...lookup, budgetTokens: 1 },
    );
    expect(report.result).toBe('WorkflowBudgetExceededError 0');
  });

  it('nests one level deep: a second level fails the run at the nested file’s line', async () => {
    const { failure, report } = await h.fail(script(`return await workflow('goes-deeper');`), lookup);
    expect(failure.message).toMatch(
      /goes-deeper\.js:3:15: Error: workflow\(\) runs one level deep: "goes-deeper" was started by workflow\(\), so it cannot start "triage"/,
    );
    expect(report.error).toMatchObject({ line: 3, file: join(savedDir, 'goes-deeper.js') });
    // What ran before the refusal ran once, under the parent.
    expect(report.agentList.map((a) => a.workflow)).toEqual(['goes-deeper']);
  });

  it('throws WorkflowNotFoundError (an Error, as on Claude Code) for an unknown name, saying where it looked; the script can catch it', async () => {
    const report = await h.run(
      script(`try { await workflow('no-such-workflow'); } catch (e) { return [e instanceof WorkflowNotFoundError, e instanceof Error, e.message]; }`),
      lookup,
    );
    const [isNotFound, isError, message] = report.result as [boolean, boolean, string];
    expect(isNotFound).toBe(true);
    expect(isError).toBe(true);
    expect(message).toContain('workflow("no-such-workflow")');
    expect(message).toContain(savedDir);
  });

  it('fails at the caller’s line when the nested script does not compile, naming the broken file', async () => {
    const { failure } = await h.fail(script(`const x = 1;\nawait workflow('broken');`), lookup);
    expect(failure.message).toMatch(/test-script\.js:3:15: Error: workflow\("broken"\): .*broken\.js:2:11/s);
  });

  it('counts nested agents in a dry run, with no model request', async () => {
    const before = h.modelServer.requests.length;
    const report = await h.run(script(`return await workflow('triage', { files: ['a', 'b', 'c'] });`), { ...lookup, dryRun: true });
    expect(report.agentList.filter((a) => a.workflow === 'triage')).toHaveLength(3);
    expect(h.modelServer.requests.length).toBe(before);
  });
});
