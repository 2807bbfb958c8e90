#!/usr/bin/env node
// Worker memory and history size for a large run: N agents with P-byte prompts (built inside the
// script). Payloads over 16 KiB travel as blob-store references, so the history holds references
// and the prompts land in $BATON_HOME/blobs; a run that grows long continues as new, so history is
// summed over every run of the workflow id. Prints figures; asserts nothing.
//
//   npm run build && node scripts/bench-memory.mjs [--agents 1000] [--prompt-kb 100] [--cap 32] [--slots 32]
import { join } from 'node:path';
import { directoryBytes, mib, numericFlags, printTable, startBench } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-memory.mjs: worker RSS and history bytes for N agents with large prompts', {
  agents: 1000,
  'prompt-kb': 100,
  cap: 32,
  slots: 32,
});
const bench = await startBench({ latencyMs: 0 });
try {
  const env = bench.fleetEnv('memory');
  const worker = await bench.startWorker(env, { concurrency: o.slots });
  const idleRss = worker.rssBytes();
  // C lanes, each building its next prompt when its last agent ends: one parallel() over all N
  // would build every prompt (and hash it into its call key) in one synchronous slice, which
  // at 1000 × 100 KB exceeds the script CPU budget (ScriptTimeout after ~170 agents).
  const script = `export const meta = { name: 'bench-memory', description: 'benchmark: many agents, large prompts' }
const { agents: n, lanes, promptBytes } = args
let done = 0
await parallel(Array.from({ length: lanes }, (_, lane) => async () => {
  for (let i = lane; i < n; i += lanes) if ((await agent('task ' + i + ' ' + 'x'.repeat(promptBytes))) !== null) done++
}))
return { done }
`;
  const { report, cliSeconds, chain } = await bench.run(env, script, {
    concurrency: o.cap,
    maxAgents: o.agents,
    args: { agents: o.agents, lanes: o.cap, promptBytes: o['prompt-kb'] * 1000 },
  });
  const endRss = worker.rssBytes();
  const peakRss = worker.peakRssBytes();
  const blobs = directoryBytes(join(env.BATON_HOME, 'blobs'));
  const promptBytes = o.agents * o['prompt-kb'] * 1000;
  console.log(
    `\nmemory: ${o.agents} agents × ${o['prompt-kb']} KB prompts (${mib(promptBytes)} MiB of prompts), cap ${o.cap}, one worker of ${o.slots} slots ` +
      `(status ${report.status}, ${chain.completedActivities} agents completed, ${cliSeconds.toFixed(1)} s)`,
  );
  printTable(
    ['measure', 'value', 'per agent'],
    [
      ['worker RSS idle (MiB)', mib(idleRss), ''],
      ['worker RSS peak (MiB)', mib(peakRss), ''],
      ['worker RSS at end (MiB)', mib(endRss), ''],
      ['runs in the chain (continue-as-new)', chain.runs, ''],
      ['history events', chain.events, (chain.events / o.agents).toFixed(1)],
      ['history bytes (encoded, all runs)', `${chain.bytes} (${mib(chain.bytes)} MiB)`, `${(chain.bytes / o.agents).toFixed(0)} B`],
      ['blob store bytes', `${blobs} (${mib(blobs)} MiB)`, `${(blobs / o.agents / 1000).toFixed(1)} KB`],
    ],
  );
} finally {
  await bench.close();
}
