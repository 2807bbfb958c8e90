#!/usr/bin/env node
// The task-queue rate limit (`baton worker --rate-limit RPS`): the same run of N instant agents on
// W workers, without a limit and with one, and the rate at which agents actually started (from
// the run's history). Temporal enforces the limit for the whole task queue, so W workers together
// start no more than RPS agents a second, after a short first burst (so use enough agents).
// Prints a table; asserts nothing.
//
//   npm run build && node scripts/bench-rate-limit.mjs [--agents 40] [--rps 5] [--workers 2] [--slots 16]
import { fanOutScript, numericFlags, printTable, startBench } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-rate-limit.mjs: agent start rate with and without --rate-limit', {
  agents: 40,
  rps: 5,
  workers: 2,
  slots: 16,
});
const bench = await startBench({ latencyMs: 0 });
const rows = [];
try {
  for (const rateLimit of [undefined, o.rps]) {
    const env = bench.fleetEnv(rateLimit ? 'limited' : 'unlimited');
    for (let i = 0; i < o.workers; i++) await bench.startWorker(env, { concurrency: o.slots, rateLimit });
    const { report, chain } = await bench.run(env, fanOutScript('bench-rate-limit'), {
      concurrency: Math.min(256, o.agents),
      maxAgents: o.agents,
      args: { agents: o.agents },
    });
    await bench.stopWorkers();
    const starts = chain.agentStarts;
    const spread = (starts.at(-1) - starts[0]) / 1000;
    rows.push([
      rateLimit ?? 'none',
      report.status,
      starts.length,
      spread.toFixed(2),
      ((starts.length - 1) / spread).toFixed(1),
      chain.workflowSeconds.toFixed(2),
    ]);
  }
} finally {
  await bench.close();
}
console.log(`\nrate limit: ${o.agents} instant agents on ${o.workers} workers × ${o.slots} slots`);
printTable(['--rate-limit', 'status', 'agent starts', 'first→last start s', 'starts/s', 'makespan s'], rows);
