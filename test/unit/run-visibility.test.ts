// What a run shows outside, without a server: the Temporal UI's phase table, the search
// attribute values and which of them changed, and the watch view's screen.
import { describe, expect, it } from 'vitest';
import { defaultModelTable } from '../../contract/models.js';
import type { RunInput } from '../../contract/run-types.js';
import { watchLines, type WatchState } from '../../cli/watch-render.js';
import { runDetailsMarkdown, runSearchValues } from '../../workflows/run-details.js';
import { RunTracker } from '../../workflows/run-tracker.js';
import { changedSearchAttributes } from '../../workflows/search-attributes.js';

const input: RunInput = {
  script: {
    fileName: 't.js',
    meta: { name: 'review', description: 'd', phases: [{ title: 'Review' }, { title: 'Verify | check' }] },
    program: '(async function () {})',
    lineMap: [null],
  },
  options: {
    concurrency: 4,
    maxAgents: 10,
    model: 'sonnet',
    modelTable: defaultModelTable(),
    budgetTokens: null,
    maxCostUsd: null,
    workspace: '/tmp',
    allow: [],
  },
};

function trackerWithAgents(): RunTracker {
  const tracker = new RunTracker(input, 0);
  tracker.enterPhase('Review');
  const done = tracker.addAgent({ label: 'correctness', phase: 'Review', model: 'claude-sonnet-5-5' });
  tracker.startAgent(done);
  tracker.endAgent(done, 'succeeded', { usage: { input: 1000, output: 200, cacheRead: 0, cacheWrite: 0 }, turns: 2 });
  const failed = tracker.addAgent({ label: 'perf', phase: 'Review', model: 'claude-sonnet-5-5' });
  tracker.startAgent(failed);
  tracker.endAgent(failed, 'failed', { error: 'ModelRequestRejected: nope' });
  tracker.addAgent({ label: 'verify', phase: 'Verify | check', model: 'claude-haiku-5-5' });
  return tracker;
}

describe('the Temporal UI details', () => {
  it('is a markdown table of phases with agents by state, tokens, cost and elapsed time', () => {
    const markdown = runDetailsMarkdown(trackerWithAgents().report());
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('**review** · running · 1/3 agents done · **1 failed** · 1200 tokens · $0.0040');
    expect(lines).toContain('| Phase | Agents | Pending | Running | Done | Cached | Failed | Stopped | Tokens | Cost | Elapsed |');
    expect(lines.find((l) => l.startsWith('| Review '))).toMatch(/^\| Review \| 2 \| 0 \| 0 \| 1 \| 0 \| 1 \| 0 \| 1200 \| \$0\.0040 \| \d+s \|$/);
    // A pipe in a title must not break the table.
    expect(lines.find((l) => l.startsWith('| Verify'))).toMatch(/^\| Verify \\\| check \| 1 \| 1 \|/);
  });

  it('lists the running agents with their turns, tokens, cost, last tool call and time since progress', () => {
    const tracker = new RunTracker(input, 0);
    const agent = tracker.addAgent({ label: 'deep | dive', phase: null, model: 'claude-sonnet-5-5' });
    tracker.startAgent(agent);
    tracker.recordTurn({
      agentId: agent.id,
      attemptKey: 'k/1',
      turn: 3,
      event: 'turn',
      usage: { input: 900, output: 100, cacheRead: 0, cacheWrite: 0 },
      toolCalls: ['Grep {"pattern":"TODO"}'],
      text: null,
    });
    const lines = runDetailsMarkdown(tracker.report(), tracker.runningAgents()).split('\n');
    expect(lines).toContain('| Running | Agent | Turns | Tokens | Cost | Last tool call | Last progress |');
    expect(lines.find((l) => l.startsWith('| a1 '))).toMatch(/^\| a1 \| deep \\\| dive \| 3 \| 1000 \| \$0\.0028 \| Grep \{"pattern":"TODO"\} \| \d+s ago \|$/);
  });
});

describe('search attributes', () => {
  it('sends every set value first, then only what changed', () => {
    const tracker = new RunTracker(input, 0);
    const first = runSearchValues(tracker.report(), tracker.phase);
    expect(changedSearchAttributes(null, first).map((p) => [p.key.name, p.value])).toEqual([
      ['BatonScript', 'review'],
      ['BatonStatus', 'running'],
      ['BatonAgents', 0],
      ['BatonTokens', 0],
      ['BatonCostUsd', 0],
    ]);
    tracker.enterPhase('Review');
    tracker.addAgent({ label: 'a', phase: 'Review', model: 'claude-sonnet-5-5' });
    const second = runSearchValues(tracker.report(), tracker.phase);
    expect(changedSearchAttributes(first, second).map((p) => [p.key.name, p.value])).toEqual([
      ['BatonPhase', 'Review'],
      ['BatonAgents', 1],
    ]);
    expect(changedSearchAttributes(second, runSearchValues(tracker.report(), tracker.phase))).toEqual([]);
  });
});

describe('the watch view', () => {
  const state = (over: Partial<WatchState> = {}): WatchState => ({
    workflowId: 'review-1',
    report: trackerWithAgents().report(),
    selected: -1,
    detail: null,
    message: '',
    refreshedAt: 0,
    ...over,
  });

  it('draws the run line, the phase table, the agents and the keys, within the terminal', () => {
    const lines = watchLines(state(), { columns: 120, rows: 30 });
    expect(lines[0]).toMatch(/^review · RUNNING · 1\/3 done, 0 running, 1 pending, 1 failed/);
    expect(lines.some((l) => /^ {2}Review\s+2 agents\s+1 succeeded, 1 failed/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('a2') && l.includes('ModelRequestRejected'))).toBe(true);
    expect(lines.at(-1)).toMatch(/p pause · x stop run · r restart \(select an agent\) · s save script/);
    expect(lines.every((l) => l.length <= 120)).toBe(true);
  });

  it('marks the selected agent and offers to stop it rather than the run', () => {
    const lines = watchLines(state({ selected: 1 }), { columns: 160, rows: 30 });
    expect(lines.filter((l) => l.startsWith('>'))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('>'))).toContain('a2');
    expect(lines.at(-1)).toContain('x stop agent · r restart agent');
  });

  it('keeps the selection in view when agents outnumber the rows', () => {
    const tracker = new RunTracker(input, 0);
    for (let i = 0; i < 50; i++) tracker.addAgent({ label: `agent ${i}`, phase: 'Review', model: 'claude-sonnet-5-5' });
    const lines = watchLines(state({ report: tracker.report(), selected: 40 }), { columns: 160, rows: 20 });
    expect(lines).toHaveLength(20);
    expect(lines.find((l) => l.startsWith('>'))).toContain('a41');
    expect(lines.some((l) => /AGENTS \(50\) · \d+ above · \d+ below/.test(l))).toBe(true);
  });
});
