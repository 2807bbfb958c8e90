// Usage and cost as a user checks them (docs/configuration.md#models-and-prices): a fan-out pays for its shared prompt prefix once
// and reads it from the cache after; the run's tokens are what the API reported, and its cost is
// those tokens priced with the model table (cache reads 0.1x, writes 1.25x input), which a run's
// options can override. The model server counts tokens deterministically (chars / 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ALIASES, DEFAULT_MODEL_PRICES, defaultModelTable } from '../../contract/models.js';
import type { ModelPrice, RunReport, TokenUsage } from '../../contract/run-types.js';
import { firstUserText, MIN_CACHEABLE_TOKENS, tokensFor, type RecordedRequest } from '../model-server/index.js';
import { promptBlocks } from '../model-server/prompt-blocks.js';
import { bundleInterpreter, script, startHarness, type Harness } from './interpreter-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter() });
});
afterAll(async () => h?.close());

/** What the server reported for the given requests, in Baton's terms. */
function usageOf(requests: RecordedRequest[]): TokenUsage {
  const total: TokenUsage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const { reply } of requests) {
    if (reply.kind !== 'message') throw new Error(`request not answered: ${reply.kind}`);
    total.input += reply.usage.input_tokens;
    total.output += reply.usage.output_tokens;
    total.cacheRead += reply.usage.cache_read_input_tokens ?? 0;
    total.cacheWrite += reply.usage.cache_creation_input_tokens ?? 0;
  }
  return total;
}

/** The price formula of docs/configuration.md#models-and-prices, written out: per million tokens, cache reads 0.1x and writes 1.25x input. */
function priced(price: ModelPrice, usage: TokenUsage): number {
  const input = price.inputPerMTok / 1e6;
  return usage.input * input + usage.cacheRead * input * 0.1 + usage.cacheWrite * input * 1.25 + usage.output * (price.outputPerMTok / 1e6);
}

function aliasOf(modelId: string): string {
  const alias = Object.keys(DEFAULT_MODEL_ALIASES).find((a) => DEFAULT_MODEL_ALIASES[a] === modelId);
  if (!alias) throw new Error(`no alias for ${modelId}`);
  return alias;
}

describe('prompt cache across a fan-out', () => {
  it('writes the shared prefix once and reads it for each of the other 9 agents', async () => {
    // A model of its own, so no earlier request of this server has cached the prefix.
    const model = 'claude-sonnet-5-5-fanout';
    const since = h.modelServer.requests.length;
    // The first agent alone: ten concurrent first requests would each write the cache, as the
    // real API does when none of them has finished yet.
    const report = await h.run(
      script(
        "const first = await agent('fan-out item 0');\n" +
          "const rest = await parallel([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => () => agent('fan-out item ' + i)));\n" +
          'return [first, ...rest];',
      ),
      { model },
    );
    expect(report).toMatchObject({ status: 'completed', agents: { total: 10, succeeded: 10, failed: 0 } });
    const requests = h.modelServer.requests.slice(since);
    expect(requests).toHaveLength(10);
    expect(requests.every((r) => r.body.model === model)).toBe(true);

    // The shared prefix: the profile's tools and system prompt.
    const first = requests.find((r) => firstUserText(r.body) === 'fan-out item 0')!;
    const prefixChars = promptBlocks(first.body)
      .filter((b) => b.key.startsWith('tool:') || b.key.startsWith('system:'))
      .reduce((n, b) => n + b.chars, 0);
    const prefix = tokensFor(prefixChars);
    expect(prefix).toBeGreaterThanOrEqual(MIN_CACHEABLE_TOKENS);

    expect(first.reply).toMatchObject({ kind: 'message', usage: { cache_read_input_tokens: 0 } });
    const firstUsage = usageOf([first]);
    expect(firstUsage.cacheWrite).toBeGreaterThanOrEqual(prefix);
    const others = requests.filter((r) => r !== first);
    expect(others.map((r) => usageOf([r]).cacheRead)).toEqual(Array(9).fill(prefix));

    expect(report.tokens).toEqual(usageOf(requests));
    expect(report.tokens.cacheRead).toBe(9 * prefix);
    // Per agent, too: the report's tokens are what the API said that agent used.
    for (const agent of report.agentList) {
      const own = requests.filter((r) => firstUserText(r.body) === `fan-out item ${Number(agent.id.slice(1)) - 1}`);
      expect(agent.tokens).toEqual(usageOf(own));
    }
  });
});

describe('cost', () => {
  // `args` makes each run's prompts its own, so a run writes to the cache as well as reading it.
  const SCRIPT = script(
    "phase('Draft');\nconst a = await agent('cost probe one ' + args);\nconst b = await agent('cost probe two ' + args);\n" +
      "const c = await agent('cost probe three ' + args, { model: 'opus' });\nphase('Check');\nconst d = await agent('cost probe four ' + args);\n" +
      'return [a, b, c, d];',
    { phases: [{ title: 'Draft' }, { title: 'Check', model: 'haiku' }] },
  );

  /** Runs the cost script and checks its report against the server's usage priced with `prices`. */
  async function checkCost(prices: Record<string, ModelPrice>, overrides: Parameters<Harness['run']>[1] = {}): Promise<RunReport> {
    const since = h.modelServer.requests.length;
    const tag = `run ${since}`;
    const report = await h.run(SCRIPT, { args: tag, ...overrides });
    expect(report).toMatchObject({ status: 'completed', agents: { total: 4, succeeded: 4 } });
    const requests = h.modelServer.requests.slice(since);
    // Routing shows in the requests: run default, run default, agent option, phase model.
    expect(report.agentList.map((a) => a.model)).toEqual(['claude-sonnet-5-5', 'claude-sonnet-5-5', 'claude-opus-5-5', 'claude-haiku-5-5']);

    let expected = 0;
    const byPhase: Record<string, number> = {};
    for (const [i, agent] of report.agentList.entries()) {
      const own = requests.filter((r) => firstUserText(r.body) === `cost probe ${['one', 'two', 'three', 'four'][i]} ${tag}`);
      expect(own.map((r) => r.body.model)).toEqual([agent.model]);
      const usage = usageOf(own);
      expect(agent.tokens).toEqual(usage);
      const cost = priced(prices[aliasOf(agent.model)]!, usage);
      expected += cost;
      byPhase[agent.phase!] = (byPhase[agent.phase!] ?? 0) + cost;
    }
    // The cache factors are exercised: some tokens were written to and read from the cache.
    expect(report.tokens.cacheRead).toBeGreaterThan(0);
    expect(report.tokens.cacheWrite).toBeGreaterThan(0);
    expect(report.costUsd).toBeGreaterThan(0);
    expect(report.costUsd).toBeCloseTo(expected, 12);
    expect(report.phases.map((p) => [p.title, p.costUsd])).toEqual([
      ['Draft', expect.closeTo(byPhase.Draft!, 12)],
      ['Check', expect.closeTo(byPhase.Check!, 12)],
    ]);
    return report;
  }

  it('is the usage of every agent priced with the default table', async () => {
    await checkCost(DEFAULT_MODEL_PRICES);
  });

  it('follows prices overridden in the run options', async () => {
    const table = defaultModelTable();
    table.prices = {
      sonnet: { inputPerMTok: 7, outputPerMTok: 70 },
      opus: { inputPerMTok: 20, outputPerMTok: 100 },
      haiku: { inputPerMTok: 2, outputPerMTok: 9 },
    };
    const report = await checkCost(table.prices, { modelTable: table });
    // The same tokens at default prices would cost less: the override is what was applied.
    const atDefault = report.agentList.reduce((sum, a) => sum + priced(DEFAULT_MODEL_PRICES[aliasOf(a.model)]!, a.tokens), 0);
    expect(report.costUsd).toBeGreaterThan(atDefault * 1.5);
  });
});
