#!/usr/bin/env node
// Density: many runs in flight on one worker. R runs of A agents each, every agent one model
// call of L seconds, all started at once through the client module (one process), so R × A
// agents are in flight together on one worker of R × A slots. Prints the worker's RSS (idle,
// with everything in flight, peak), memory per run and per agent in flight, and workflow-task
// latency (scheduled → completed) from the runs' histories. Asserts nothing.
//
//   npm run build && node scripts/bench-density.mjs [--runs 40] [--agents 25] [--latency 40]
import { benchRuns, mib, numericFlags, printTable, startBench } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-density.mjs: worker memory and workflow-task latency with many runs in flight', {
  runs: 40,
  agents: 25,
  latency: 40,
});
const bench = await startBench({ latencyMs: o.latency * 1000 });
try {
  const env = bench.fleetEnv('density');
  const slots = o.runs * o.agents;
  const worker = await bench.startWorker(env, { concurrency: slots });
  const { client, startRuns } = await benchRuns(bench, env, {
    fileName: 'density.js',
    source: `export const meta = { name: 'bench-density', description: 'benchmark: many runs in flight' }
return (await parallel(Array.from({ length: args.agents }, (_, i) => () => agent('task ' + i)))).length
`,
    concurrency: o.agents,
    maxAgents: o.agents,
  });

  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleRss = worker.rssBytes();
  const idleParts = worker.rssParts();

  const startedAt = Date.now();
  const runs = await startRuns(() => ({ agents: o.agents }), o.runs);
  // Everything in flight: every model call has started and none has ended.
  while (bench.model.requests.length < slots && Date.now() - startedAt < o.latency * 1000) await new Promise((resolve) => setTimeout(resolve, 100));
  const allInFlightSeconds = (Date.now() - startedAt) / 1000;
  const inFlightRss = worker.rssBytes();
  const inFlightParts = worker.rssParts();
  await Promise.all(runs.map(({ workflowId }) => client.workflow.getHandle(workflowId).result()));
  const totalSeconds = (Date.now() - startedAt) / 1000;
  const peakRss = worker.peakRssBytes();

  const latencies = [];
  for (const { workflowId } of runs) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = new Map();
    for (const event of history.events ?? []) {
      const at = Number(event.eventTime.seconds) * 1000 + Math.floor((event.eventTime.nanos ?? 0) / 1e6);
      if (event.workflowTaskScheduledEventAttributes) scheduled.set(Number(event.eventId), at);
      const completed = event.workflowTaskCompletedEventAttributes;
      if (completed) latencies.push(at - scheduled.get(Number(completed.scheduledEventId)));
    }
  }
  latencies.sort((a, b) => a - b);
  const parts = ({ anon, file, shmem }) => `${mib(anon)} / ${mib(file)} / ${mib(shmem)}`;
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  console.log(
    `\ndensity: ${o.runs} runs × ${o.agents} agents of ${o.latency} s, one worker of ${slots} slots; all ${bench.model.requests.length} model calls in flight after ${allInFlightSeconds.toFixed(1)} s, all runs done after ${totalSeconds.toFixed(1)} s`,
  );
  printTable(
    ['measure', 'value'],
    [
      ['worker RSS idle (MiB)', mib(idleRss)],
      ['worker RSS, every agent in flight (MiB)', mib(inFlightRss)],
      ['worker RSS peak (MiB)', mib(peakRss)],
      ['  of which anonymous / file-backed / shared, idle (MiB)', parts(idleParts)],
      ['  of which anonymous / file-backed / shared, in flight (MiB)', parts(inFlightParts)],
      ['per run in flight (KiB, in-flight minus idle)', ((inFlightRss - idleRss) / o.runs / 1024).toFixed(0)],
      ['per agent in flight (KiB)', ((inFlightRss - idleRss) / slots / 1024).toFixed(0)],
      [`workflow task scheduled → completed ms, p50 / p90 / p99 (${latencies.length} tasks)`, `${q(0.5)} / ${q(0.9)} / ${q(0.99)}`],
    ],
  );
  await client.connection.close();
} finally {
  await bench.close();
}
