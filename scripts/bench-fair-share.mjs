#!/usr/bin/env node
// Fair share across runs: a small run started a few seconds after a big one, one worker of S
// slots. Prints how long the small run took (workflow start → close) against the length of
// two waves of its agents, with the default worker (fair share) and with
// `--eager-activities` (which skips it). Asserts nothing.
//
//   npm run build && node scripts/bench-fair-share.mjs [--big 120] [--small 4] [--slots 4] [--latency 1] [--delay 3]
import { fanOutScript, numericFlags, printTable, startBench } from './bench-harness.mjs';
import { sleep } from './process-helpers.mjs';

const o = numericFlags('node scripts/bench-fair-share.mjs: a small run behind a big one on one worker', {
  big: 120,
  small: 4,
  slots: 4,
  latency: 1,
  delay: 3,
});
const bench = await startBench({ latencyMs: o.latency * 1000 });
const rows = [];
try {
  for (const [mode, args] of [
    ['default (fair share)', []],
    ['--eager-activities', ['--eager-activities']],
  ]) {
    const env = bench.fleetEnv(`fair-${mode.length}`);
    await bench.startWorker(env, { concurrency: o.slots, args });
    await bench.warmUp(env);
    const big = bench.run(env, fanOutScript('bench-big'), { concurrency: 16, maxAgents: o.big, args: { agents: o.big } });
    await sleep(o.delay * 1000);
    const small = await bench.run(env, fanOutScript('bench-small'), { concurrency: 16, maxAgents: o.small, args: { agents: o.small } });
    const bigDone = await big;
    rows.push([
      mode,
      small.chain.workflowSeconds.toFixed(1),
      // Running agents are not preempted: the small run first waits for one of the big run's to end.
      ((small.chain.edgesMs.toFirstAgentStart - small.chain.edgesMs.toFirstAgent) / 1000).toFixed(2),
      (2 * Math.ceil(o.small / o.slots) * o.latency).toFixed(1),
      bigDone.chain.workflowSeconds.toFixed(1),
    ]);
    await bench.stopWorkers();
  }
  console.log(
    `\nfair share: a ${o.small}-agent run started ${o.delay} s after a ${o.big}-agent run (cap 16 each), one worker of ${o.slots} slots, agents of ${o.latency} s`,
  );
  printTable(['worker', 'small run s', 'of which its first agent waited s', 'two waves s', 'big run s'], rows);
} finally {
  await bench.close();
}
