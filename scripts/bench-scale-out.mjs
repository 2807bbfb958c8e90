#!/usr/bin/env node
// Scale-out: the same run (N agents × L s model latency, cap high enough not to bind) on fleets of
// 1, 2 and 4 workers of S slots each, so the fleet's slots are the limit and adding workers
// should divide the makespan. Ideal per fleet: ⌈N / (W × S)⌉ × L. Prints a table; asserts nothing.
//
//   npm run build && node scripts/bench-scale-out.mjs [--agents 64] [--latency 0.5] [--slots 4] [--max-workers 4]
import { fanOutScript, numericFlags, printTable, startBench } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-scale-out.mjs: makespan on 1, 2, 4... workers of fixed slots', {
  agents: 64,
  latency: 0.5,
  slots: 4,
  'max-workers': 4,
});
const bench = await startBench({ latencyMs: o.latency * 1000 });
const rows = [];
try {
  let base;
  for (let workers = 1; workers <= o['max-workers']; workers *= 2) {
    // A fresh task queue per fleet, so no worker of the last fleet takes this one's agents.
    const env = bench.fleetEnv(`scale-${workers}`);
    for (let i = 0; i < workers; i++) await bench.startWorker(env, { concurrency: o.slots });
    const { report, chain } = await bench.run(env, fanOutScript('bench-scale-out'), {
      concurrency: Math.min(256, o.agents),
      maxAgents: o.agents,
      args: { agents: o.agents },
    });
    await bench.stopWorkers();
    const ideal = Math.ceil(o.agents / (workers * o.slots)) * o.latency;
    base ??= chain.workflowSeconds;
    rows.push([
      workers,
      workers * o.slots,
      report.status,
      ideal.toFixed(2),
      chain.agentSpanSeconds.toFixed(2),
      chain.workflowSeconds.toFixed(2),
      (chain.workflowSeconds / ideal).toFixed(2),
      (base / chain.workflowSeconds).toFixed(2),
    ]);
  }
} finally {
  await bench.close();
}
console.log(`\nscale-out: ${o.agents} agents × ${o.latency}s model latency, workers of ${o.slots} slots`);
printTable(['workers', 'slots', 'status', 'ideal s', 'agents s', 'makespan s', '÷ ideal', 'speed-up'], rows);
