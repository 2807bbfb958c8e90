#!/usr/bin/env node
// Makespan at a concurrency cap: N agents whose one model call takes L seconds, run with cap C,
// against the ideal N/C × L (200 × 0.5 s at cap 16: 6.25 s; in whole waves ⌈N/C⌉ × L = 6.5 s).
// Prints the measured figures and their ratio to the ideal; asserts nothing.
//
//   npm run build && node scripts/bench-makespan.mjs [--agents 200] [--cap 16] [--latency 0.5] [--slots 32]
import { fanOutScript, numericFlags, printTable, startBench } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-makespan.mjs: makespan of N agents × L s model latency at cap C, one worker of S slots', {
  agents: 200,
  cap: 16,
  latency: 0.5,
  slots: 32,
});
const bench = await startBench({ latencyMs: o.latency * 1000 });
try {
  const env = bench.fleetEnv('makespan');
  await bench.startWorker(env, { concurrency: o.slots });
  await bench.warmUp(env);
  const { report, cliSeconds, chain } = await bench.run(env, fanOutScript('bench-makespan'), { concurrency: o.cap, maxAgents: o.agents, args: { agents: o.agents } });
  const ideal = (o.agents / o.cap) * o.latency;
  const idealWaves = Math.ceil(o.agents / o.cap) * o.latency;
  console.log(`\nmakespan: ${o.agents} agents × ${o.latency}s model latency, cap ${o.cap}, one warmed-up worker of ${o.slots} slots (status ${report.status}, ${chain.completedActivities} agents completed, ${chain.runs} run(s))`);
  printTable(
    ['measure', 'seconds', '÷ ideal'],
    [
      ['ideal N/C × L', ideal.toFixed(2), '1.00'],
      ['ideal in whole waves ⌈N/C⌉ × L', idealWaves.toFixed(2), (idealWaves / ideal).toFixed(2)],
      ['agents: first start → last end', chain.agentSpanSeconds.toFixed(2), (chain.agentSpanSeconds / ideal).toFixed(2)],
      ['makespan: workflow start → close', chain.workflowSeconds.toFixed(2), (chain.workflowSeconds / ideal).toFixed(2)],
      ['`baton run` wall clock (with CLI start-up)', cliSeconds.toFixed(2), (cliSeconds / ideal).toFixed(2)],
    ],
  );
  const { reaction, dispatch, attempt } = chain.stepMs;
  console.log(
    `per agent, median / 90th percentile: agent end → next scheduled ${reaction.p50} / ${reaction.p90} ms, ` +
      `scheduled → started ${dispatch.p50} / ${dispatch.p90} ms, attempt ${attempt.p50} / ${attempt.p90} ms (model latency ${o.latency * 1000} ms)`,
  );
  console.log(`workflow start → first agent scheduled ${chain.edgesMs.toFirstAgent} ms; last agent end → workflow close ${chain.edgesMs.afterLastAgent} ms`);
  console.log(`overhead over the whole-wave ideal: ${(chain.workflowSeconds - idealWaves).toFixed(2)} s, ${(((chain.workflowSeconds - idealWaves) / o.agents) * 1000).toFixed(1)} ms per agent`);
} finally {
  await bench.close();
}
