// The run's report outside a workflow: what a run costs per agent, phase and run, and the hold
// that keeps new agents out of a provider's rate limit.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultModelTable, priceOf, unpricedModels } from '../../contract/models.js';
import { costUsd, turnCost } from '../../contract/pricing.js';
import { costText } from '../../cli/format.js';
import type { AgentOutcome, RunInput, TokenUsage, TurnReport } from '../../contract/run-types.js';
import { MAX_HOLD_MS, ProviderHold } from '../../workflows/provider-hold.js';
import { RunTracker } from '../../workflows/run-tracker.js';

const input = (over: Partial<RunInput['options']> = {}): RunInput => ({
  script: {
    fileName: 't.js',
    meta: { name: 't', description: 'd', phases: [{ title: 'Review' }, { title: 'Verify', model: 'haiku' }] },
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
    ...over,
  },
});

const usage = (input: number, output: number, cacheRead: number, cacheWrite: number): TokenUsage => ({ input, output, cacheRead, cacheWrite });

describe('pricing', () => {
  it('prices cache reads at 0.1x and cache writes at 1.25x the input price, at late-2026 rates', () => {
    const table = defaultModelTable();
    // sonnet 5.5: $2 / $10 per million.
    expect(costUsd('claude-sonnet-5-5', usage(1_000_000, 0, 0, 0), table)).toBeCloseTo(2, 10);
    expect(costUsd('claude-sonnet-5-5', usage(0, 1_000_000, 0, 0), table)).toBeCloseTo(10, 10);
    expect(costUsd('claude-sonnet-5-5', usage(0, 0, 1_000_000, 0), table)).toBeCloseTo(0.2, 10);
    expect(costUsd('claude-sonnet-5-5', usage(0, 0, 0, 1_000_000), table)).toBeCloseTo(2.5, 10);
    // opus 5.5: $4 / $20.
    expect(costUsd('claude-opus-5-5', usage(1000, 100, 10_000, 2000), table)).toBeCloseTo((1000 * 4 + 100 * 20 + 10_000 * 0.4 + 2000 * 5) / 1e6, 12);
    // fable 5.x: $10 / $50, matched by family whatever the minor version.
    expect(costUsd('claude-fable-5-1', usage(1_000_000, 1_000_000, 0, 0), table)).toBeCloseTo(60, 10);
    expect(costUsd('claude-fable-5', usage(1_000_000, 0, 0, 0), table)).toBeCloseTo(10, 10);
  });

  it('prices one call at the tier its prompt falls in: Haiku 5.5 is 5x above 100k prompt tokens', () => {
    const haiku = priceOf('claude-haiku-5-5', defaultModelTable());
    // 100k prompt tokens exactly: the base rates, $0.10 / $0.50.
    expect(turnCost(haiku, usage(60_000, 1000, 30_000, 10_000))).toBeCloseTo((60_000 * 0.1 + 1000 * 0.5 + 30_000 * 0.01 + 10_000 * 0.125) / 1e6, 12);
    // One token more, counting cache reads and writes: every token of the call at 5x.
    expect(turnCost(haiku, usage(60_001, 1000, 30_000, 10_000))).toBeCloseTo((60_001 * 0.5 + 1000 * 2.5 + 30_000 * 0.05 + 10_000 * 0.625) / 1e6, 12);
    // One-hour cache writes at 2x input.
    expect(turnCost(haiku, usage(0, 0, 0, 1_000_000), 1_000_000)).toBeCloseTo(0.1 * 2 * 5, 10);
    expect(turnCost(null, usage(1, 1, 1, 1))).toBe(0);
  });

  it('shows an agent on a model without a price as unpriced, not as free', () => {
    const tracker = new RunTracker(input(), 0);
    const priced = tracker.addAgent({ label: 'a', phase: null, model: 'claude-sonnet-5-5' });
    const mystery = tracker.addAgent({ label: 'b', phase: null, model: 'claude-mystery-1' });
    expect(priced.unpriced).toBeUndefined();
    expect(mystery.unpriced).toBe(true);
    expect(tracker.report().unpricedModels).toEqual(['claude-mystery-1']);
    expect(costText(tracker.report())).toBe('$0.0000 + unpriced (claude-mystery-1)');
  });

  it('names the models a cost ceiling cannot price', () => {
    const table = defaultModelTable();
    expect(unpricedModels(['sonnet', 'claude-haiku-5-5', 'claude-mystery-1', 'mystery'], table)).toEqual(['claude-mystery-1', 'mystery']);
  });
});

describe('RunTracker costs', () => {
  it('prices each agent at its own model, and sums them per phase and per run', () => {
    const tracker = new RunTracker(input(), 0);
    const a1 = tracker.addAgent({ label: 'a', phase: 'Review', model: 'claude-sonnet-5-5' });
    const a2 = tracker.addAgent({ label: 'b', phase: 'Verify', model: 'claude-haiku-5-5' });
    const a3 = tracker.addAgent({ label: 'c', phase: 'Verify', model: 'claude-opus-5-5' });
    tracker.endAgent(a1, 'succeeded', { usage: usage(1000, 200, 4000, 1500) });
    tracker.endAgent(a2, 'succeeded', { usage: usage(500, 100, 0, 0) });
    tracker.endAgent(a3, 'failed', { usage: usage(10, 10, 0, 0) });
    const report = tracker.report();
    const sonnet = (1000 * 2 + 200 * 10 + 4000 * 0.2 + 1500 * 2.5) / 1e6;
    const haiku = (500 * 0.1 + 100 * 0.5) / 1e6;
    const opus = (10 * 4 + 10 * 20) / 1e6;
    expect(report.phases.map((p) => [p.title, p.costUsd])).toEqual([
      ['Review', expect.closeTo(sonnet, 12)],
      ['Verify', expect.closeTo(haiku + opus, 12)],
    ]);
    expect(report.costUsd).toBeCloseTo(sonnet + haiku + opus, 12);
  });

  it('follows a price override in the run options', () => {
    const table = defaultModelTable();
    table.prices.sonnet = { inputPerMTok: 10, outputPerMTok: 100 };
    const tracker = new RunTracker(input({ modelTable: table }), 0);
    tracker.endAgent(tracker.addAgent({ label: 'a', phase: null, model: 'claude-sonnet-5-5' }), 'succeeded', { usage: usage(1000, 100, 1000, 1000) });
    expect(tracker.report().costUsd).toBeCloseTo((1000 * 10 + 100 * 100 + 1000 * 1 + 1000 * 12.5) / 1e6, 12);
  });
});

describe('turn reports', () => {
  const turn = (agentId: string, attemptKey: string, n: number, output: number): TurnReport => ({
    agentId,
    attemptKey,
    turn: n,
    event: 'turn',
    usage: usage(100, output, 0, 0),
    toolCalls: [`Read {"file_path":"f${n}"}`],
    text: null,
  });

  it('keeps what `baton agent` shows: the whole prompt, the newest tool calls and text, the result', () => {
    const tracker = new RunTracker(input(), 0);
    const live = tracker.addAgent({ label: 'a', phase: null, model: 'claude-sonnet-5-5' }, 'review the diff');
    tracker.startAgent(live);
    for (let n = 1; n <= 12; n++) tracker.recordTurn({ ...turn(live.id, 'x/1', n, 10), text: n === 3 ? 'looking' : null });
    // A resent report counts once, in the detail too.
    tracker.recordTurn(turn(live.id, 'x/1', 12, 10));
    expect(tracker.agentDetail(live.id)).toMatchObject({ prompt: 'review the diff', result: null, lastText: 'looking' });
    expect(tracker.agentDetail(live.id)?.recentToolCalls).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => `Read {"file_path":"f${n}"}`));
    tracker.details.noteOutcome(live.id, { status: 'succeeded', result: { ok: true }, lastToolCall: 'Grep x' } as AgentOutcome);
    expect(tracker.agentDetail(live.id)).toMatchObject({ result: { ok: true }, recentToolCalls: ['Grep x'] });
    // An agent the journal answered ran nothing here: its line is all there is.
    const cached = tracker.addReusedAgent({ label: 'b', phase: null, model: 'claude-sonnet-5-5' }, 'cached', { turns: 0 }, { startedAt: null });
    expect(tracker.agentDetail(cached.id)).toMatchObject({ prompt: '', result: null, recentToolCalls: [] });
    expect(tracker.agentDetail('a9')).toBeNull();
  });

  it('counts each turn once as it arrives, and the last turn from the outcome', () => {
    const tracker = new RunTracker(input(), 0);
    const a1 = tracker.addAgent({ label: 'a', phase: null, model: 'claude-sonnet-5-5' });
    tracker.startAgent(a1);
    expect(tracker.recordTurn(turn('a1', 'x/1', 1, 50))).not.toBeNull();
    expect(tracker.recordTurn(turn('a1', 'x/1', 1, 50))).toBeNull();
    tracker.recordTurn(turn('a1', 'x/1', 2, 70));
    expect(tracker.spentOutputTokens()).toBe(120);
    expect(a1).toMatchObject({ turns: 2, lastToolCall: 'Read {"file_path":"f2"}' });
    // A retry resumes at turn 2 and pays for turn 3 again: a different attempt, counted.
    tracker.recordTurn(turn('a1', 'x/2', 3, 30));
    tracker.endAgent(a1, 'succeeded', { usage: usage(100, 5, 0, 0), oneCall: true, turns: 4 });
    expect(a1.tokens).toEqual(usage(400, 155, 0, 0));
    expect(tracker.costUsd()).toBeCloseTo((400 * 2 + 155 * 10) / 1e6, 12);
    expect(a1.costUsd).toBeCloseTo(tracker.costUsd(), 12);
  });

  it("adds the provider's fee for each web search, from a turn report and from an outcome", () => {
    const tracker = new RunTracker(input(), 0);
    const a1 = tracker.addAgent({ label: 'a', phase: null, model: 'claude-sonnet-5-5' });
    tracker.startAgent(a1);
    tracker.recordTurn({ ...turn('a1', 'x/1', 1, 50), webSearches: 3 });
    tracker.endAgent(a1, 'succeeded', { usage: usage(100, 5, 0, 0), oneCall: true, webSearches: 2, turns: 2 });
    // $10 per 1,000 searches on top of the tokens at $2 / $10 per million.
    expect(tracker.costUsd()).toBeCloseTo((200 * 2 + 55 * 10) / 1e6 + 5 * 0.01, 12);
  });

  it('marks a stall until the next turn, and counts it', () => {
    const tracker = new RunTracker(input(), 0);
    const a1 = tracker.addAgent({ label: 'a', phase: null, model: 'claude-sonnet-5-5' });
    tracker.startAgent(a1);
    tracker.recordTurn({ ...turn('a1', 'x/1', 0, 0), event: 'stalled', toolCalls: [] });
    expect(a1).toMatchObject({ stalled: true, stalls: 1 });
    tracker.recordTurn(turn('a1', 'x/1', 1, 10));
    expect(a1).toMatchObject({ stalled: false, stalls: 1, turns: 1 });
  });
});

describe('provider backoff', () => {
  afterEach(() => void vi.useRealTimers());

  it('shows the hold while it is in force and counts each wait on its agent', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000);
    const tracker = new RunTracker(input(), 0);
    const a1 = tracker.addAgent({ label: 'a', phase: null, model: 'claude-sonnet-5-5' });
    expect(tracker.report().providerBackoffUntil).toBeNull();
    tracker.noteProviderBackoff({ untilMs: 3_000, reason: 'rate_limited', agentId: 'a1' });
    tracker.noteProviderBackoff({ untilMs: 2_000, reason: 'overloaded', agentId: 'a1' });
    expect(tracker.report().providerBackoffUntil).toBe(3_000);
    expect(a1.rateLimitWaits).toBe(2);
    vi.setSystemTime(3_000);
    expect(tracker.report().providerBackoffUntil).toBeNull();
  });
});

describe('ProviderHold', () => {
  function clocked() {
    let now = 0;
    const sleeps: number[] = [];
    const hold = new ProviderHold(
      async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      () => now,
    );
    return { hold, sleeps, at: (t: number) => (now = t) };
  }

  it('lets agents through at once when no hold is in force', async () => {
    const { hold, sleeps } = clocked();
    await hold.cleared();
    expect(sleeps).toEqual([]);
    expect(hold.activeUntil()).toBeNull();
  });

  it('waits until the latest signalled time, even when extended during the wait', async () => {
    const { hold, sleeps } = clocked();
    hold.extend({ untilMs: 2_000, reason: 'rate_limited' });
    hold.extend({ untilMs: 1_000, reason: 'rate_limited' });
    const waiting = hold.cleared();
    hold.extend({ untilMs: 5_000, reason: 'overloaded' });
    await waiting;
    expect(sleeps).toEqual([2_000, 3_000]);
    expect(hold.activeUntil()).toBeNull();
  });

  it('ignores a malformed signal and caps an absurd one', () => {
    const { hold } = clocked();
    expect(hold.extend({ untilMs: Number.NaN, reason: 'rate_limited' })).toBe(false);
    expect(hold.extend(undefined as never)).toBe(false);
    expect(hold.activeUntil()).toBeNull();
    hold.extend({ untilMs: 10 * 24 * 3_600_000, reason: 'rate_limited' });
    expect(hold.activeUntil()).toBe(MAX_HOLD_MS);
  });
});

describe('the state the report shows', () => {
  it('a pause shows as paused, a waiting approval as waiting over it, and a stop clears the pause', () => {
    const tracker = new RunTracker(input(), 0);
    tracker.setPaused(true);
    expect(tracker.overview()).toMatchObject({ status: 'paused', pausedReason: 'paused by request (baton pause)' });
    const asked = tracker.approvals.ask('ship it?', null, false);
    expect(tracker.overview().status).toBe('waiting');
    tracker.approvals.answer(asked, true, 'ann@host');
    expect(tracker.overview().status).toBe('paused');
    expect(tracker.report().approvals).toEqual([expect.objectContaining({ id: 'q1', state: 'approved', answer: true, answeredBy: 'ann@host' })]);
    tracker.requestStop();
    expect(tracker.stopRequested).toBe(true);
    expect(tracker.overview()).toMatchObject({ status: 'running', pausedReason: null });
    // An ended run shows how it ended, whatever was held.
    tracker.setPaused(true);
    expect(tracker.finish('stopped', {})).toMatchObject({ status: 'stopped', pausedReason: null });
  });

  it('a held budget is the reason shown before a pause', () => {
    const tracker = new RunTracker(input({ budgetTokens: 10, onBudget: 'pause' }), 0);
    const agent = tracker.addAgent({ label: 'a', phase: null, model: 'claude-sonnet-5-5' }, 'x'.repeat(500));
    tracker.startAgent(agent);
    tracker.endAgent(agent, 'succeeded', { usage: usage(0, 10, 0, 0) });
    expect(tracker.spending.check()).toBeNull();
    tracker.setPaused(true);
    expect(tracker.overview()).toMatchObject({ status: 'paused', pausedReason: expect.stringMatching(/^budget: The run's token budget is spent: 10 of 10/) });
    // The report keeps the start of a long prompt.
    expect(tracker.report().agentList[0]!.prompt).toMatch(/^x+…$/);
  });

  it('an agent the journal answered shows the times and branch of the run it ran in', () => {
    const tracker = new RunTracker(input(), 0);
    const view = tracker.addReusedAgent(
      { label: 'a', phase: null, model: 'claude-sonnet-5-5' },
      'succeeded',
      { turns: 3 },
      { startedAt: 5, endedAt: 9, branch: 'baton/a1' },
    );
    expect(tracker.report().agentList).toEqual([
      expect.objectContaining({ id: view.id, state: 'succeeded', turns: 3, startedAt: 5, endedAt: 9, branch: 'baton/a1' }),
    ]);
  });
});
