#!/usr/bin/env node
// How long short `baton` commands take, as a user runs them (a new Node process each time,
// module loading included): --help, status / result / ls of a finished run, run --detach (with a
// named ceiling, and unattended with its dry-run projection).
// Prints the median and the slowest of `--repeat` runs of each, and the median against its target
// where issue 25 set one (status of a finished run <= 0.25 s, run --detach <= 0.40 s); asserts nothing.
//
//   npm run build && node scripts/bench-cli.mjs [--repeat 7]
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { cli } from './process-helpers.mjs';
import { fanOutScript, numericFlags, printTable, startBench } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-cli.mjs: wall time of short baton commands', { repeat: 7 });
const bench = await startBench({ latencyMs: 0 });
try {
  const env = bench.fleetEnv('cli');
  await bench.startWorker(env, { concurrency: 8 });
  const { report } = await bench.run(env, fanOutScript('bench-cli'), { concurrency: 4, maxAgents: 4, args: { agents: 4 } });
  const runId = report.workflowId;
  const scriptPath = join(bench.workspace, 'bench-cli-detach.js');
  writeFileSync(scriptPath, fanOutScript('bench-cli-detach'));

  // [label, argv, target seconds for the median (none: no target)]
  const commands = [
    // Node's own start-up, the floor under every command on this machine at this load.
    ['node -e 0 (no baton)', null],
    ['baton --help', ['--help']],
    ['baton status RUN (finished)', ['status', runId], 0.25],
    ['baton result RUN', ['result', runId]],
    ['baton ls', ['ls', '--limit', '10']],
    // A named ceiling: the start alone. Without one, stdin not being a terminal makes the run
    // unattended, and its start line waits for the dry run's projection (docs/security.md).
    [
      'baton run SCRIPT --detach --yes --max-cost 5',
      ['run', scriptPath, '--detach', '--yes', '--max-cost', '5', '--workspace', bench.workspace, '--args', '{"agents":1}'],
      0.4,
    ],
    ['baton run SCRIPT --detach --yes (unattended)', ['run', scriptPath, '--detach', '--yes', '--workspace', bench.workspace, '--args', '{"agents":1}']],
  ];
  const rows = [];
  for (const [label, argv, target] of commands) {
    const times = [];
    for (let i = 0; i < o.repeat; i++) {
      const started = process.hrtime.bigint();
      await (argv === null ? promisify(execFile)(process.execPath, ['-e', '0']) : cli(argv, env));
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] / 1000;
    const against = target === undefined ? '' : `<= ${target.toFixed(2)} ${median <= target ? 'met' : 'NOT met'}`;
    rows.push([label, median.toFixed(2), (times.at(-1) / 1000).toFixed(2), against]);
  }
  console.log(`\nshort commands, ${o.repeat} runs each (a new process every time, against a local dev server):`);
  printTable(['command', 'median s', 'slowest s', 'target s'], rows);
} finally {
  await bench.close();
}
