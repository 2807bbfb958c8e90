// `baton report`: what the morning reader sees for a run with failed and stopped agents, branches,
// approvals and logs.
import { describe, expect, it } from 'vitest';
import type { AgentView, RunReport } from '../../contract/run-types.js';
import { reportMarkdown } from '../../cli/report-markdown.js';

const usage = (input: number, output: number) => ({ input, output, cacheRead: 0, cacheWrite: 0 });

function agent(id: string, fields: Partial<AgentView>): AgentView {
  return {
    id,
    label: id,
    phase: 'Fix',
    model: 'claude-sonnet-5-5',
    state: 'succeeded',
    tokens: usage(1000, 200),
    turns: 2,
    lastToolCall: null,
    error: null,
    startedAt: 0,
    endedAt: 1000,
    rateLimitWaits: 0,
    costUsd: 0.004,
    ...fields,
  };
}

const REPORT: RunReport = {
  name: 'nightly-fixes',
  description: 'fix what fails',
  status: 'completed',
  result: null,
  error: null,
  agents: { total: 3, succeeded: 1, failed: 1, cached: 0, stopped: 1, running: 0, pending: 0 },
  tokens: usage(3000, 600),
  costUsd: 0.0121,
  phases: [{ title: 'Fix', agents: 3, byState: { succeeded: 1, failed: 1, stopped: 1 }, tokens: 3600, costUsd: 0.0121, elapsedMs: 65_000 }],
  agentList: [
    agent('a1', { label: 'fixer', branch: 'baton/run-1/a1' }),
    agent('a2', { label: 'tester', state: 'failed', model: 'claude-haiku-5-5', error: 'ModelRequestRejected: 400 prompt too long', costUsd: 0.0001 }),
    agent('a3', { label: 'pusher', state: 'stopped', error: 'stopped by request (baton agent stop) while running' }),
  ],
  logs: ['started', 'pushed 1 branch'],
  agentsLeft: 997,
  budget: { totalTokens: null, spentTokens: 600, maxCostUsd: 1 },
  approvals: [
    {
      id: 'q1',
      message: 'Push?',
      state: 'approved',
      answer: true,
      askedAt: 1_000,
      answeredAt: 61_000,
      answeredBy: 'ana@laptop',
      timeoutAt: null,
      default: null,
    },
    {
      id: 'q2',
      message: 'Tidy?',
      state: 'timed_out',
      answer: false,
      askedAt: 62_000,
      answeredAt: 72_000,
      answeredBy: 'timeout',
      timeoutAt: 72_000,
      default: false,
    },
  ],
  providerBackoffUntil: null,
  startedAt: 0,
  endedAt: 125_000,
};

describe('reportMarkdown', () => {
  const text = reportMarkdown(REPORT, 'nightly-fixes-1');

  it('leads with the outcome, time and spend', () => {
    expect(text.split('\n')[0]).toBe('# nightly-fixes: completed, but 1 of 3 agents failed');
    expect(text).toContain('**took** 2m05s');
    expect(text).toContain('$0.0121 (cap $1)');
    expect(text).toContain('**Agents**: 1 succeeded, 1 failed, 1 stopped');
  });

  it('names each failed or stopped agent with its cause', () => {
    expect(text).toContain('- **a2** tester (claude-haiku-5-5): failed: ModelRequestRejected: 400 prompt too long');
    expect(text).toContain('- **a3** pusher (claude-sonnet-5-5): stopped: stopped by request (baton agent stop) while running');
  });

  it('has cost by phase and by model, branches, approvals and the log', () => {
    expect(text).toMatch(/\| Fix \| 3 \| 1 succeeded, 1 failed, 1 stopped \|/);
    expect(text).toMatch(/\| claude-sonnet-5-5 \| 2 \| .* \| \$0\.0080 \|/);
    expect(text).toContain('- `baton/run-1/a1` (a1, fixer)');
    expect(text).toContain('- **q1** "Push?": approved by ana@laptop at 1970-01-01T00:01:01Z');
    expect(text).toContain('- **q2** "Tidy?": no answer; the timeout gave its default (false)');
    expect(text).toContain('```\nstarted\npushed 1 branch\n```');
  });

  it('says why a failed run failed', () => {
    const failed = reportMarkdown({ ...REPORT, status: 'failed', error: { type: 'TypeError', message: 'x is undefined', line: 12, column: 3 } }, 'r');
    expect(failed.split('\n')[0]).toBe('# nightly-fixes: failed');
    expect(failed).toContain('**Why**: TypeError: x is undefined (script line 12)');
  });
});

describe('reportMarkdown: scores', () => {
  it('shows each score with what a point of it cost; a zero score bought no points', () => {
    const text = reportMarkdown(
      {
        ...REPORT,
        costUsd: 0.12,
        scores: [
          { name: 'confirmed', value: 3, kind: 'number', note: 'held up under verification', by: 'script', at: 1 },
          { name: 'refuted', value: 0, kind: 'number', note: null, by: 'script', at: 2 },
          { name: 'merged', value: 1, kind: 'boolean', note: null, by: 'ana', at: 3 },
        ],
      },
      'r',
    );
    expect(text).toContain('## Scores');
    expect(text).toContain('| confirmed | 3 | $0.0400 | script | held up under verification |');
    expect(text).toContain('| refuted | 0 | no points | script |  |');
    expect(text).toContain('| merged | true | $0.1200 | ana |  |');
  });
});
