// `baton compare`: two runs side by side as a pure function of their reports and inputs, the
// structural diff of their results, and the unified diff of their scripts.
import { describe, expect, it } from 'vitest';
import { compareRuns, type ComparedRun } from '../../client/run-comparison.js';
import { diffValues, MAX_CHANGES } from '../../client/result-diff.js';
import { unifiedDiff } from '../../client/text-diff.js';
import { defaultModelTable } from '../../contract/models.js';
import type { AgentView, RunInput, RunReport } from '../../contract/run-types.js';

const usage = (input: number, output: number) => ({ input, output, cacheRead: 0, cacheWrite: 0 });

function agent(id: string, fields: Partial<AgentView> = {}): AgentView {
  return {
    id,
    label: `label ${id}`,
    phase: 'Review',
    model: 'claude-sonnet-5-5',
    state: 'succeeded',
    tokens: usage(100, 10),
    turns: 1,
    lastToolCall: null,
    error: null,
    startedAt: 0,
    endedAt: 1000,
    rateLimitWaits: 0,
    costUsd: 0.01,
    ...fields,
  };
}

function run(workflowId: string, agents: AgentView[], fields: Partial<RunReport> = {}, input: Partial<RunInput> = {}, source = 'const a = 1\n'): ComparedRun {
  const report: RunReport = {
    name: 'review',
    description: 'd',
    status: 'completed',
    result: null,
    error: null,
    agents: {
      total: agents.length,
      succeeded: agents.filter((a) => a.state === 'succeeded').length,
      failed: agents.filter((a) => a.state === 'failed').length,
      cached: agents.filter((a) => a.state === 'cached').length,
      stopped: 0,
      running: 0,
      pending: 0,
    },
    tokens: usage(100 * agents.length, 10 * agents.length),
    costUsd: 0.01 * agents.length,
    phases: [
      {
        title: 'Review',
        agents: agents.length,
        byState: { succeeded: agents.length },
        tokens: 110 * agents.length,
        costUsd: 0.01 * agents.length,
        elapsedMs: 1000,
      },
    ],
    agentList: agents,
    logs: [],
    agentsLeft: 0,
    budget: { totalTokens: null, spentTokens: 0, maxCostUsd: null },
    providerBackoffUntil: null,
    startedAt: 1000,
    endedAt: 61_000,
    ...fields,
  };
  return {
    workflowId,
    report,
    input: {
      script: { fileName: 'review.js', meta: { name: 'review', description: 'd' }, program: '', lineMap: [], source },
      options: {
        concurrency: 16,
        maxAgents: 1000,
        model: 'sonnet',
        modelTable: defaultModelTable(),
        budgetTokens: null,
        maxCostUsd: null,
        workspace: '/w',
        allow: [],
      },
      ...input,
    },
  };
}

describe('compareRuns', () => {
  it('puts the same script with different args side by side: args, agents, cost by model, scores and what each point cost', () => {
    const a = run(
      'run-a',
      [agent('a1'), agent('a2')],
      { scores: [{ name: 'confirmed', value: 2, kind: 'number', note: null, by: 'script', at: 1 }], result: { found: ['x', 'y'] } },
      { args: { reviewers: 2 } },
    );
    const b = run(
      'run-b',
      [
        agent('a1'),
        agent('a2'),
        agent('a3', { model: 'claude-haiku-5-5', costUsd: 0.001 }),
        agent('a4', { state: 'failed', error: 'ModelRequestRejected: 400' }),
      ],
      { scores: [{ name: 'confirmed', value: 0, kind: 'number', note: null, by: 'script', at: 1 }], result: { found: ['x'], extra: true } },
      { args: { reviewers: 4 } },
    );
    const c = compareRuns(a, b);
    expect(c.script).toEqual({ same: true, diff: null });
    expect(c.args).toEqual({ same: false, a: { reviewers: 2 }, b: { reviewers: 4 } });
    expect(c.a).toMatchObject({ workflowId: 'run-a', durationMs: 60_000, model: 'sonnet', tokens: 220 });
    expect(c.models).toEqual([
      { model: 'claude-sonnet-5-5', a: { agents: 2, tokens: 220, costUsd: 0.02 }, b: { agents: 3, tokens: 330, costUsd: 0.03 } },
      { model: 'claude-haiku-5-5', a: null, b: { agents: 1, tokens: 110, costUsd: 0.001 } },
    ]);
    expect(c.failures.a).toEqual([]);
    expect(c.failures.b).toEqual([{ agentId: 'a4', label: 'label a4', state: 'failed', cause: 'ModelRequestRejected: 400' }]);
    expect(c.scores).toEqual([
      {
        name: 'confirmed',
        a: { value: 2, kind: 'number', costPerPoint: 0.01, by: 'script' },
        b: { value: 0, kind: 'number', costPerPoint: null, by: 'script' },
      },
    ]);
    expect(c.result.changes).toEqual([
      { path: 'result.found[1]', kind: 'removed', a: 'y' },
      { path: 'result.extra', kind: 'added', b: true },
    ]);
    expect(c.reuse).toBeNull();
  });

  it('diffs two different scripts', () => {
    const c = compareRuns(run('a', [agent('a1')], {}, {}, 'one\ntwo\nthree\n'), run('b', [agent('a1')], {}, {}, 'one\nTWO\nthree\nfour\n'));
    expect(c.script.same).toBe(false);
    expect(c.script.diff).toBe(['--- a/review.js', '+++ b/review.js', '@@ -1,4 +1,5 @@', ' one', '-two', '+TWO', ' three', '+four', ' '].join('\n'));
  });

  it('names the calls a resumed run took from the other, whichever side it is on', () => {
    const earlier = run('first', [agent('a1'), agent('a2')]);
    const reuse = {
      fromRunId: 'first',
      mode: 'prefix' as const,
      reused: 1,
      offered: 2,
      firstMiss: { agentId: 'a2', label: 'label a2', earlierAgentId: 'a2', changed: ['prompt'], reason: 'its prompt changed' },
    };
    const later = run('second', [agent('a1', { state: 'cached' }), agent('a2')], { reuse });
    for (const c of [compareRuns(earlier, later), compareRuns(later, earlier)]) {
      expect(c.reuse).toMatchObject({ from: 'first', reused: [{ agentId: 'a1', label: 'label a1' }], report: { firstMiss: { reason: 'its prompt changed' } } });
    }
    expect(compareRuns(earlier, later).reuse?.run).toBe('b');
    expect(compareRuns(later, earlier).reuse?.run).toBe('a');
  });
});

describe('diffValues', () => {
  it.each([
    ['equal values', { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, []],
    ['a changed leaf', { n: 1 }, { n: 2 }, [{ path: 'result.n', kind: 'changed', a: 1, b: 2 }]],
    ['a type change', { n: [1] }, { n: { 0: 1 } }, [{ path: 'result.n', kind: 'changed', a: [1], b: { 0: 1 } }]],
    ['keys that are not identifiers', { 'a b': 1 }, {}, [{ path: 'result["a b"]', kind: 'removed', a: 1 }]],
    ['an array grown', [1], [1, 2], [{ path: 'result[1]', kind: 'added', b: 2 }]],
    ['null against a value', null, 'text', [{ path: 'result', kind: 'changed', a: null, b: 'text' }]],
  ])('%s', (_name, a, b, changes) => {
    expect(diffValues(a, b).changes).toEqual(changes);
  });

  it('stops listing after MAX_CHANGES and says so', () => {
    const a = Array.from({ length: MAX_CHANGES + 5 }, (_, i) => i);
    const { changes, truncated } = diffValues(
      a,
      a.map((i) => i + 1),
    );
    expect(changes).toHaveLength(MAX_CHANGES);
    expect(truncated).toBe(true);
  });
});

describe('unifiedDiff', () => {
  it('is null for equal texts, and keeps far-apart changes in separate hunks', () => {
    expect(unifiedDiff('x\n', 'x\n', { a: 'a', b: 'b' })).toBeNull();
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const changed = lines.map((line, i) => (i === 1 || i === 18 ? `${line}!` : line));
    const diff = unifiedDiff(lines.join('\n'), changed.join('\n'), { a: 'a', b: 'b' })!;
    expect(diff.split('\n').filter((line) => line.startsWith('@@'))).toEqual(['@@ -1,5 +1,5 @@', '@@ -16,5 +16,5 @@']);
  });
});
