#!/usr/bin/env node
// Orchestration throughput: N agents against a model that answers at once, at cap C, on W workers
// of S slots each, so the figure is Baton's and Temporal's own cost per agent (scheduling,
// history, payload codec, one model round trip over HTTP). Prints agents per second; asserts nothing.
//
//   npm run build && node scripts/bench-throughput.mjs [--agents 500] [--cap 64] [--workers 1] [--slots 64]
import { fanOutScript, numericFlags, printTable, startBench } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-throughput.mjs: agents per second with a zero-latency model', {
  agents: 500,
  cap: 64,
  workers: 1,
  slots: 64,
});
const bench = await startBench({ latencyMs: 0 });
try {
  const env = bench.fleetEnv('throughput');
  for (let i = 0; i < o.workers; i++) await bench.startWorker(env, { concurrency: o.slots });
  await bench.warmUp(env);
  const { report, cliSeconds, chain } = await bench.run(env, fanOutScript('bench-throughput'), {
    concurrency: o.cap,
    maxAgents: o.agents,
    args: { agents: o.agents },
  });
  console.log(
    `\nthroughput: ${o.agents} agents, zero model latency, cap ${o.cap}, ${o.workers} warmed-up worker(s) × ${o.slots} slots (status ${report.status}, ${chain.completedActivities} agents completed, ${chain.runs} run(s), ${chain.events} history events)`,
  );
  printTable(
    ['measure', 'seconds', 'agents/s', 'ms/agent'],
    [
      ['agents: first start → last end', chain.agentSpanSeconds, o.agents / chain.agentSpanSeconds, (chain.agentSpanSeconds / o.agents) * 1000],
      ['workflow: start → close', chain.workflowSeconds, o.agents / chain.workflowSeconds, (chain.workflowSeconds / o.agents) * 1000],
      ['`baton run` wall clock', cliSeconds, o.agents / cliSeconds, (cliSeconds / o.agents) * 1000],
    ].map(([name, s, rate, per]) => [name, s.toFixed(2), rate.toFixed(1), per.toFixed(1)]),
  );
} finally {
  await bench.close();
}
