#!/usr/bin/env node
// Makespan at a concurrency cap: N agents whose one model call takes L seconds, run with cap C,
// against the ideal N/C × L (200 × 0.5 s at cap 16: 6.25 s; in whole waves ⌈N/C⌉ × L = 6.5 s).
// Each worker mode runs twice on a fresh worker: cold (the worker's first run, which also loads
// the workflow bundle) and warm (its second). Modes: `default`, the default worker (eager
// activity dispatch only while nothing waits on the queue, so fair share holds whenever another
// run waits), `never` (`--eager-activities never`: every agent through matching, the default
// before 2026-12), and `always` (`--eager-activities always`: skips fair share). The
// orchestration is split into start-up (workflow start → first agent started) and the link (an
// agent's end → the next agent's start), and one agent's path into its steps (second table).
// Prints the figures; asserts nothing.
//
//   npm run build && node scripts/bench-makespan.mjs [--agents 200] [--cap 16] [--latency 0.5] [--slots 32]
import { fileURLToPath } from 'node:url';
import { cpuMsOf, fanOutScript, numericFlags, printTable, startBench } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-makespan.mjs: makespan of N agents × L s model latency at cap C, one worker of S slots', {
  agents: 200,
  cap: 16,
  latency: 0.5,
  slots: 32,
});
const ideal = (o.agents / o.cap) * o.latency;
const idealWaves = Math.ceil(o.agents / o.cap) * o.latency;
const floorWorker = fileURLToPath(new URL('./bench-floor/worker.mjs', import.meta.url));
const bench = await startBench({ latencyMs: o.latency * 1000 });
const rows = [];
const pathRows = [];
const ratios = [];
try {
  for (const [mode, args] of [
    ['default', []],
    ['never', ['--eager-activities', 'never']],
    ['always', ['--eager-activities', 'always']],
    // Not Baton: the same fan-out as a plain Temporal workflow and activity on a bare SDK worker.
    ['floor', null],
  ]) {
    const env = bench.fleetEnv(`makespan-${mode}`);
    const worker = await bench.startWorker(env, args ? { concurrency: o.slots, args } : { command: [floorWorker, String(o.slots)] });
    for (const phase of ['cold', 'warm']) {
      const cpuBefore = { server: cpuMsOf(bench.serverPid), worker: cpuMsOf(worker.pid) };
      const { chain } = args ? await runBaton() : await bench.runFloor(env, { agents: o.agents, cap: o.cap });
      const { link, reaction, dispatch, attempt } = chain.stepMs;
      const p = chain.pathMs;
      // What the target is stated in: the model server's first request to its last answer.
      const modelSpan = (chain.modelRequestsMs.last + o.latency * 1000 - chain.modelRequestsMs.first) / 1000;
      ratios.push(`${mode} ${phase} ${(modelSpan / idealWaves).toFixed(2)}× (workflow ${(chain.workflowSeconds / idealWaves).toFixed(2)}×)`);
      pathRows.push([
        `${mode}, ${phase}`,
        String(p.toModel.p50),
        String(p.afterModel.p50 - o.latency * 1000),
        String(p.toTask.p50),
        String(p.taskPickup.p50),
        String(p.taskRun.p50),
        String(dispatch.p50),
        chain.agentsPerTask.toFixed(1),
        `${Math.round(chain.eagerShare * 100)}%`,
      ]);
      rows.push([
        `${mode}, ${phase}`,
        modelSpan.toFixed(2),
        (modelSpan / idealWaves).toFixed(2),
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

    async function runBaton() {
      const run = await bench.run(env, fanOutScript('bench-makespan'), { concurrency: o.cap, maxAgents: o.agents, args: { agents: o.agents } });
      if (run.report.status !== 'completed') throw new Error(`${mode}: run ended ${run.report.status}`);
      return run;
    }
  }
  console.log(
    `\nmakespan: ${o.agents} agents × ${o.latency}s model latency, cap ${o.cap}, one worker of ${o.slots} slots; whole-wave ideal ${idealWaves.toFixed(2)} s (N/C × L ${ideal.toFixed(2)} s)`,
  );
  printTable(
    [
      'worker, run',
      'model span s',
      '÷ ideal',
      'workflow s',
      '÷ ideal',
      'start-up ms',
      'link ms p50 / p90',
      'link split ms p50',
      'attempt overhead ms p50 / p90',
      'close ms',
      'CPU ms per agent: server / worker',
    ],
    rows,
  );
  console.log(
    `\none agent's path, p50 ms: activity started → model request received (worker) → model answered → completion recorded → workflow task scheduled → picked up → completed (next agent scheduled) → next agent started`,
  );
  printTable(
    ['worker, run', 'start → model', 'answer → completed', 'completed → task', 'task pickup', 'task run', 'dispatch', 'agents per task', 'started eagerly'],
    pathRows,
  );
  console.log(`\nmodel span ÷ whole-wave ideal: ${ratios.join(', ')}`);
  console.log(
    "model span: the model server's first request of the run → its last answer (the issue's measure); workflow: workflow start → close. floor: not Baton, the same fan-out as a plain Temporal workflow on a bare SDK worker (scripts/bench-floor/), what the server and the SDK alone cost. start-up: workflow start → first agent started; link: an agent's end → the next agent's start, split into reaction (→ the workflow schedules it) + dispatch (→ a worker starts it); attempt overhead: activity start → completion beyond the model's latency; close: last agent end → workflow closed; CPU: the dev server's and the worker's CPU time over the run, per agent (the cold run's includes loading the workflow bundle).",
  );
} finally {
  await bench.close();
}
