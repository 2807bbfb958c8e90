#!/usr/bin/env node
// Scale: R runs of A agents of T turns each (a Glob call per turn but the last, L ms per model
// call), all started at once through the client module (one process), on W workers of the same
// task queue. Prints model calls per second (first run's start → last run's close), the worst
// run's makespan against its ideal (⌈A/cap⌉ × T × L), each worker's peak RSS, history events
// per agent turn, and whether the tokens the model server served equal the tokens the runs
// counted, exactly. Asserts nothing.
//
//   npm run build && node scripts/bench-scale.mjs [--runs 40] [--agents 25] [--turns 5] [--workers 4] [--latency-ms 50] [--cap 25]
import { manyTurnsResponder } from '../dist/test/model-server/index.js';
import { benchRuns, mib, numericFlags, printTable, startBench, chainFigures } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-scale.mjs: many runs of many-turn agents on several workers', {
  runs: 40,
  agents: 25,
  turns: 5,
  workers: 4,
  'latency-ms': 50,
  cap: 25,
});
const agentsInAll = o.runs * o.agents;
const slots = Math.ceil(agentsInAll / o.workers);
const bench = await startBench({ responder: manyTurnsResponder() });
try {
  const env = bench.fleetEnv('scale');
  const workers = [];
  for (let i = 0; i < o.workers; i++) workers.push(await bench.startWorker(env, { concurrency: slots }));
  // One small run first, so the figures are long-lived workers' (see bench.warmUp).
  await bench.warmUp(env);
  const servedBefore = bench.model.requests.length;
  const { client, startRuns } = await benchRuns(bench, env, {
    fileName: 'scale.js',
    source: `export const meta = { name: 'bench-scale', description: 'benchmark: many runs of many-turn agents' }
return (await parallel(Array.from({ length: args.agents }, (_, i) => () => agent('task ' + args.run + '.' + i + ' [turns=${o.turns}][delay=${o['latency-ms']}]')))).length
`,
    concurrency: o.cap,
    maxAgents: o.agents,
  });
  const startedAt = Date.now();
  const runs = await startRuns((run) => ({ agents: o.agents, run }), o.runs);
  const reports = await Promise.all(runs.map(({ workflowId }) => client.workflow.getHandle(workflowId).result()));
  const wallSeconds = (Date.now() - startedAt) / 1000;

  const served = bench.model.requests.slice(servedBefore);
  const unanswered = served.filter((r) => r.reply.kind !== 'message').length;
  const servedTokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const { reply } of served) {
    if (reply.kind !== 'message') continue;
    servedTokens.input += reply.usage.input_tokens;
    servedTokens.output += reply.usage.output_tokens;
    servedTokens.cacheRead += reply.usage.cache_read_input_tokens ?? 0;
    servedTokens.cacheWrite += reply.usage.cache_creation_input_tokens ?? 0;
  }
  const countedTokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const report of reports) for (const key of Object.keys(countedTokens)) countedTokens[key] += report.tokens[key];
  const tokensEqual = Object.keys(servedTokens).every((key) => servedTokens[key] === countedTokens[key]);

  const chains = await Promise.all(runs.map(({ workflowId }) => chainFigures(bench.client, workflowId)));
  const ideal = (Math.ceil(o.agents / o.cap) * o.turns * o['latency-ms']) / 1000;
  const worst = chains.reduce((a, b) => (b.workflowSeconds > a.workflowSeconds ? b : a));
  const events = chains.reduce((sum, chain) => sum + chain.events, 0);
  const completed = reports.filter((report) => report.status === 'completed').length;
  const totalTokens = (t) => t.input + t.output + t.cacheRead + t.cacheWrite;

  console.log(
    `\nscale: ${o.runs} runs × ${o.agents} agents × ${o.turns} turns, ${o['latency-ms']} ms per model call, cap ${o.cap} per run, ` +
      `${o.workers} workers of ${slots} slots; ${completed} of ${o.runs} runs completed in ${wallSeconds.toFixed(1)} s`,
  );
  printTable(
    ['measure', 'value'],
    [
      ['model calls (answered / expected)', `${served.length - unanswered} / ${agentsInAll * o.turns}`],
      ['model calls per second (first start → last close)', ((served.length - unanswered) / wallSeconds).toFixed(0)],
      [`worst run's makespan ÷ its ideal ${ideal.toFixed(2)} s`, `${worst.workflowSeconds.toFixed(2)} s = ${(worst.workflowSeconds / ideal).toFixed(1)}×`],
      [
        'median run makespan (s)',
        [...chains]
          .map((c) => c.workflowSeconds)
          .sort((a, b) => a - b)
          [Math.floor(chains.length / 2)].toFixed(2),
      ],
      ['peak RSS per worker (MiB)', workers.map((w) => mib(w.peakRssBytes())).join(' / ')],
      ['history events per agent turn', (events / (agentsInAll * o.turns)).toFixed(2)],
      ['tokens served by the model / counted by the runs', `${totalTokens(servedTokens)} / ${totalTokens(countedTokens)}`],
      [
        'served and counted tokens equal (every kind)',
        tokensEqual ? 'yes, exactly' : `NO: served ${JSON.stringify(servedTokens)}, counted ${JSON.stringify(countedTokens)}`,
      ],
    ],
  );
  await client.connection.close();
} finally {
  await bench.close();
}
