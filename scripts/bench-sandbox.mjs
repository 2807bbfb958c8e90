#!/usr/bin/env node
// What the Bash sandbox costs per command: the wall time of `echo hi` started as Bash starts it,
// unsandboxed (`bash -c`), in the sandbox (bubblewrap, no network), and in the sandbox with an
// --allow-net relay (a per-command relay and socat listeners inside). Sequential runs after a
// warm-up; prints median and p90. Asserts nothing.
//
//   npm run build && node scripts/bench-sandbox.mjs [--runs 100]
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentSandbox } from '../dist/activities/sandbox/agent-sandbox.js';
import { prepareCommand } from '../dist/activities/sandbox/sandboxed-command.js';
import { sandboxSupport } from '../dist/activities/sandbox/sandbox-support.js';
import { bashEnvironment } from '../dist/activities/tools/bash-environment.js';

const at = process.argv.indexOf('--runs');
const runs = at > 0 ? Number(process.argv[at + 1]) : 100;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('usage: node scripts/bench-sandbox.mjs [--runs N]');
  process.exit(2);
}
const support = await sandboxSupport();
if (!support.available) {
  console.error(`no sandbox on this machine: ${support.cause}`);
  process.exit(1);
}
const workspace = await mkdtemp(join(tmpdir(), 'baton-bench-sandbox-ws-'));
const scratch = await mkdtemp(join(tmpdir(), 'baton-bench-sandbox-scratch-'));
const env = bashEnvironment(scratch);

function start(file, args, childEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: workspace, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && out.trim() === 'hi' ? resolve() : reject(new Error(`exit ${code}: ${out}`))));
  });
}

const variants = {
  'bash -c (unsandboxed)': async () => start('bash', ['-c', 'echo hi'], env),
  'sandboxed, no network': async (sandbox) => {
    const p = await prepareCommand('echo hi', sandbox.none, workspace, scratch, env);
    try {
      await start(p.file, p.args, p.env);
    } finally {
      await p.close();
    }
  },
  'sandboxed, --allow-net 127.0.0.1:5432': async (sandbox) => {
    const p = await prepareCommand('echo hi', sandbox.net, workspace, scratch, env);
    try {
      await start(p.file, p.args, p.env);
    } finally {
      await p.close();
    }
  },
};
const sandbox = { none: new AgentSandbox(workspace), net: new AgentSandbox(workspace, ['127.0.0.1:5432']) };

const rows = [];
try {
  for (const [name, run] of Object.entries(variants)) {
    if (name.includes('allow-net') && !support.socat) continue;
    for (let i = 0; i < 5; i++) await run(sandbox);
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      await run(sandbox);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    rows.push([name, times[Math.floor(runs / 2)], times[Math.min(runs - 1, Math.floor(runs * 0.9))]]);
  }
} finally {
  await rm(workspace, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
}
console.log(`echo hi, ${runs} runs each (${support.version}, node ${process.version}, ${new Date().toISOString().slice(0, 10)})`);
console.log(`${'how'.padEnd(40)} ${'median'.padStart(9)} ${'p90'.padStart(9)}`);
for (const [name, median, p90] of rows) console.log(`${name.padEnd(40)} ${median.toFixed(1).padStart(6)} ms ${p90.toFixed(1).padStart(6)} ms`);
