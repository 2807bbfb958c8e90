#!/usr/bin/env node
// Makespan at a concurrency cap: N agents whose one model call takes L seconds, run with cap C,
// against the ideal N/C × L (200 × 0.5 s at cap 16: 6.25 s; in whole waves ⌈N/C⌉ × L = 6.5 s).
// Each worker mode runs twice on a fresh worker: cold (the worker's first run, which also loads
// the workflow bundle) and warm (its second). Modes: `fair`, the default worker (no eager
// activity dispatch, so fair share and the queue's rate limit hold), and `eager`
// (`baton worker --eager-activities`). The orchestration is split into start-up (workflow start
// → first agent started) and the link (an agent's end → the next agent's start).
// Prints the figures; asserts nothing.
//
//   npm run build && node scripts/bench-makespan.mjs [--agents 200] [--cap 16] [--latency 0.5] [--slots 32]
import { cpuMsOf, fanOutScript, numericFlags, printTable, startBench } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-makespan.mjs: makespan of N agents × L s model latency at cap C, one worker of S slots', {
  agents: 200,
  cap: 16,
  latency: 0.5,
  slots: 32,
});
const ideal = (o.agents / o.cap) * o.latency;
const idealWaves = Math.ceil(o.agents / o.cap) * o.latency;
const bench = await startBench({ latencyMs: o.latency * 1000 });
const rows = [];
try {
  for (const [mode, args] of [
    ['fair', []],
    ['eager', ['--eager-activities']],
  ]) {
    const env = bench.fleetEnv(`makespan-${mode}`);
    const worker = await bench.startWorker(env, { concurrency: o.slots, args });
    for (const phase of ['cold', 'warm']) {
      const cpuBefore = { server: cpuMsOf(bench.serverPid), worker: cpuMsOf(worker.pid) };
      const { report, chain } = await bench.run(env, fanOutScript('bench-makespan'), { concurrency: o.cap, maxAgents: o.agents, args: { agents: o.agents } });
      if (report.status !== 'completed') throw new Error(`${mode} ${phase}: run ended ${report.status}`);
      const { link, reaction, dispatch, attempt } = chain.stepMs;
      rows.push([
        `${mode}, ${phase}`,
        chain.workflowSeconds.toFixed(2),
        (chain.workflowSeconds / idealWaves).toFixed(2),
        String(chain.edgesMs.toFirstAgentStart),
        `${link.p50} / ${link.p90}`,
        `${reaction.p50} + ${dispatch.p50}`,
        `${attempt.p50 - o.latency * 1000} / ${attempt.p90 - o.latency * 1000}`,
        String(chain.edgesMs.afterLastAgent),
        `${((cpuMsOf(bench.serverPid) - cpuBefore.server) / o.agents).toFixed(1)} / ${((cpuMsOf(worker.pid) - cpuBefore.worker) / o.agents).toFixed(1)}`,
      ]);
    }
    await bench.stopWorkers();
  }
  console.log(`\nmakespan: ${o.agents} agents × ${o.latency}s model latency, cap ${o.cap}, one worker of ${o.slots} slots; whole-wave ideal ${idealWaves.toFixed(2)} s (N/C × L ${ideal.toFixed(2)} s)`);
  printTable(['worker, run', 'makespan s', '÷ ideal', 'start-up ms', 'link ms p50 / p90', 'link split ms p50', 'attempt overhead ms p50 / p90', 'close ms', 'CPU ms per agent: server / worker'], rows);
  console.log('start-up: workflow start → first agent started; link: an agent\'s end → the next agent\'s start, split into reaction (→ the workflow schedules it) + dispatch (→ a worker starts it); attempt overhead: activity start → completion beyond the model\'s latency; close: last agent end → workflow closed; CPU: the dev server\'s and the worker\'s CPU time over the run, per agent (the cold run\'s includes loading the workflow bundle).');
} finally {
  await bench.close();
}
