#!/usr/bin/env node
// Crash trials: a multi-agent, multi-turn run is interrupted by SIGKILL at a random moment
// (the worker alone, or the server and the worker together, like a machine restart), the
// processes are started again on the same database, and the run must finish with the same
// result as an uninterrupted run, without the test model ever being asked a completed turn
// again. Prints one line per trial and a summary.
//
//   npm run build && node scripts/crash-trials.mjs [--trials N] [--seed S]
//
// It uses the built code (dist/) and the `baton` command, as a user would.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startModelServer, reply, text, toolUse, firstUserText } from '../dist/test/model-server/index.js';
import { devServerArgs } from '../dist/stack/dev-server.js';
import { accepts, cli, freePort, sleep } from './process-helpers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const baton = join(root, 'bin', 'baton.js');
const options = parseArgs(process.argv.slice(2));
let seed = options.seed;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

const SCRIPT = `export const meta = { name: 'crash-trial', description: 'six agents, three turns each' }
const topics = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot']
return await parallel(topics.map((t) => () => agent('Summarise topic ' + t)))
`;

// Each agent: Glob, then Read, then its answer; every reply takes a while, so kills land mid-turn.
function responder(request) {
  const turn = request.messages.filter((m) => m.role === 'assistant').length;
  const topic = firstUserText(request).split(' ').pop();
  const delayMs = 150 + Math.floor(Math.random() * 250);
  if (turn === 0) return { ...reply(toolUse('Glob', { pattern: '*.md' })), delayMs };
  if (turn === 1) return { ...reply(toolUse('Read', { file_path: 'notes.md' })), delayMs };
  return { ...reply(text(`summary of ${topic}`)), delayMs };
}

const temporalCli = execFileSync('bash', [join(root, 'scripts', 'install-temporal.sh')], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .pop();
const model = await startModelServer({ responder });
const workspace = mkdtempSync(join(tmpdir(), 'baton-crash-ws-'));
writeFileSync(join(workspace, 'notes.md'), '# notes\nsix topics\n');
const scriptPath = join(workspace, 'crash-trial.js');
writeFileSync(scriptPath, SCRIPT);

const rows = [];
const baseline = await trial({ kill: 'none' });
console.log(`baseline: ${baseline.status} in ${baseline.seconds.toFixed(1)}s, ${baseline.requests} model requests`);
for (let i = 1; i <= options.trials; i++) {
  const kill = random() < 0.34 ? 'server+worker' : 'worker';
  const row = await trial({ kill, atMs: 300 + Math.floor(random() * 2500) });
  row.sameResult = JSON.stringify(row.result) === JSON.stringify(baseline.result);
  rows.push(row);
  console.log(
    `trial ${String(i).padStart(2)}: kill ${kill.padEnd(13)} at ${String(row.atMs).padStart(4)} ms → ${row.status}, ` +
      `same result: ${row.sameResult}, completed turns asked again: ${row.repeatedTurns}, ` +
      `${row.requests} requests (baseline ${baseline.requests}), ${row.seconds.toFixed(1)}s`,
  );
}
await model.close();

const ok = rows.filter((r) => r.status === 'completed' && r.sameResult && r.repeatedTurns === 0).length;
console.log(
  `\n${rows.length} trials: ${rows.filter((r) => r.status === 'completed').length} completed, ` +
    `${rows.filter((r) => r.sameResult).length} with the uninterrupted result, ` +
    `${rows.reduce((n, r) => n + r.repeatedTurns, 0)} completed turns asked again, ` +
    `${rows.reduce((n, r) => n + r.requests - baseline.requests, 0)} extra model requests in all, ` +
    `median ${median(rows.map((r) => r.seconds)).toFixed(1)}s per run (baseline ${baseline.seconds.toFixed(1)}s)`,
);
console.log(`${ok} of ${rows.length} trials passed every check`);
process.exit(ok === rows.length ? 0 : 1);

async function trial({ kill, atMs = 0 }) {
  const home = mkdtempSync(join(tmpdir(), 'baton-crash-home-'));
  mkdirSync(join(home, 'logs'), { recursive: true });
  const dbFile = join(home, 'temporal.db');
  const port = await freePort();
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    BATON_HOME: home,
    BATON_TASK_QUEUE: 'crash-trials',
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: model.url,
  };
  const firstRequest = model.requests.length;
  const started = Date.now();
  let server = await startServer(port, dbFile);
  let worker = await startWorker(env);
  const run = await cli(['run', scriptPath, '--yes', '--detach', '--json', '--concurrency', '3', '--workspace', workspace], env);
  const { workflowId } = JSON.parse(run);
  if (kill !== 'none') {
    await sleep(atMs);
    worker.kill('SIGKILL');
    if (kill === 'server+worker') {
      server.kill('SIGKILL');
      await sleep(200);
      server = await startServer(port, dbFile);
    }
    worker = await startWorker(env);
  }
  let status = { status: 'running' };
  while (status.status === 'running' && Date.now() - started < 180_000) {
    await sleep(500);
    status = JSON.parse(await cli(['status', workflowId, '--json'], env).catch(() => '{"status":"running"}'));
  }
  worker.kill('SIGTERM');
  server.kill('SIGTERM');
  await sleep(300);
  const requests = model.requests.slice(firstRequest);
  return {
    atMs,
    status: status.status,
    result: status.result,
    seconds: (Date.now() - started) / 1000,
    requests: requests.length,
    repeatedTurns: completedTurnsAskedAgain(requests),
  };
}

/** A turn is completed once the conversation went past it; asking it again is the failure. */
function completedTurnsAskedAgain(requests) {
  const furthest = new Map();
  let repeated = 0;
  for (const r of requests) {
    const key = firstUserText(r.body);
    const length = r.body.messages.length;
    if ((furthest.get(key) ?? 0) > length) repeated += 1;
    furthest.set(key, Math.max(furthest.get(key) ?? 0, length));
  }
  return repeated;
}

async function startServer(port, dbFile) {
  const child = spawn(temporalCli, devServerArgs({ port, dbFile, headless: true }), { stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  while (!(await accepts(port))) {
    if (Date.now() > deadline) throw new Error('the dev server did not start');
    await sleep(200);
  }
  return child;
}

function startWorker(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [baton, 'worker'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr.on('data', (d) => {
      output += d;
      if (output.includes('polling task queue')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}): ${output}`)));
  });
}

function parseArgs(argv) {
  const get = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  return { trials: get('trials', 10), seed: get('seed', 42) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
