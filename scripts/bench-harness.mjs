// Shared by the scripts/bench-*.mjs benchmarks: an in-memory Temporal dev server, the test model
// server, `baton worker` processes and `baton run`, all from the BUILT code (dist/) and the
// `baton` command, as a user would run them. Figures come from the run's Temporal history, so
// CLI start-up is reported apart from the run itself. Nothing here asserts a timing.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection, WorkflowClient } from '@temporalio/client';
import proto from '@temporalio/proto';
import { firstUserText, startModelServer, reply, text } from '../dist/test/model-server/index.js';
import { devServerArgs } from '../dist/stack/dev-server.js';
import { accepts, cli, freePort, sleep } from './process-helpers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const baton = join(root, 'bin', 'baton.js');
const { EventType } = proto.temporal.api.enums.v1;
const HistoryMessage = proto.temporal.api.history.v1.History;

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench: not built yet. Run `npm run build` first.');
  process.exit(2);
}

/** `--name value` flags with numeric defaults; `--help` prints them. */
export function numericFlags(usage, defaults) {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(
      `${usage}\n\nflags (defaults): ${Object.entries(defaults)
        .map(([k, v]) => `--${k} ${v}`)
        .join(' ')}`,
    );
    process.exit(0);
  }
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in defaults))
      throw new Error(
        `unknown flag ${argv[i]}; flags: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(' ')}`,
      );
    const value = Number(argv[i + 1]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} takes a number, got ${argv[i + 1]}`);
    out[name] = value;
  }
  return out;
}

/** A model that answers every request with one short text turn after `latencyMs`. */
export function fixedLatencyResponder(latencyMs) {
  return () => ({ ...reply(text('ok')), delayMs: latencyMs });
}

/** Everything a bench needs, torn down by `close()`. */
export async function startBench({ latencyMs = 0, responder } = {}) {
  const temporalCli = execFileSync('bash', [join(root, 'scripts', 'install-temporal.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  const port = await freePort();
  const server = spawn(temporalCli, devServerArgs({ port, headless: true }), { stdio: 'ignore' });
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await accepts(port))) {
    if (Date.now() > deadline) throw new Error('the dev server did not start');
    await sleep(200);
  }
  const model = await startModelServer({ responder: responder ?? fixedLatencyResponder(latencyMs) });
  const connection = await Connection.connect({ address });
  const client = new WorkflowClient({ connection, namespace: 'default' });
  const workers = [];
  const workspace = mkdtempSync(join(tmpdir(), 'baton-bench-ws-'));
  const tempDirs = [workspace];
  writeFileSync(join(workspace, 'README.md'), '# bench workspace\n');

  const bench = {
    address,
    /** The dev server's process, e.g. to read its CPU time (cpuMsOf). */
    serverPid: server.pid,
    model,
    client,
    workspace,
    /** Env for one fleet: its own home (blob store) and task queue; nothing inherited from Baton or Anthropic. */
    fleetEnv(name) {
      const env = {};
      for (const [key, value] of Object.entries(process.env)) {
        if (!/^(BATON_|TEMPORAL_|ANTHROPIC_)/.test(key)) env[key] = value;
      }
      return {
        ...env,
        TEMPORAL_ADDRESS: address,
        BATON_HOME: tempDirs[tempDirs.push(mkdtempSync(join(tmpdir(), `baton-bench-${name}-`))) - 1],
        BATON_TASK_QUEUE: `bench-${name}-${Math.random().toString(36).slice(2, 8)}`,
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: model.url,
      };
    },
    /** `baton worker`, or with `command` another worker program (its node arguments), e.g. the floor's bare worker. */
    async startWorker(env, { concurrency, rateLimit, args = [], command } = {}) {
      const worker = await startWorker(env, command ?? batonWorkerArgv(concurrency, rateLimit, args));
      workers.push(worker);
      return worker;
    },
    /** Stops every worker of the bench (between fleets). */
    async stopWorkers() {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    },
    /**
     * One small unmeasured run, so the figures are a long-lived worker's: a worker's first run
     * also pays for loading the workflow bundle (~0.4 s here).
     */
    async warmUp(env) {
      await bench.run(env, fanOutScript('bench-warm-up'), { concurrency: 16, maxAgents: 16, args: { agents: 16 } });
    },
    /** `baton run SCRIPT --yes --json`; resolves with the final JSON, the CLI's wall time and the run's chain figures. */
    async run(env, scriptSource, { concurrency, maxAgents, args } = {}) {
      const scriptPath = join(workspace, `bench-${Math.random().toString(36).slice(2, 8)}.js`);
      writeFileSync(scriptPath, scriptSource);
      const argv = ['run', scriptPath, '--yes', '--json', '--workspace', workspace];
      if (concurrency) argv.push('--concurrency', String(concurrency));
      if (maxAgents) argv.push('--max-agents', String(maxAgents));
      if (args !== undefined) argv.push('--args', JSON.stringify(args));
      const started = Date.now();
      const out = await cli(argv, env);
      const cliSeconds = (Date.now() - started) / 1000;
      const report = JSON.parse(out);
      const chain = await chainFigures(client, report.workflowId, { modelRequests: model.requests });
      return { report, cliSeconds, chain };
    },
    /**
     * The floor's fan-out (scripts/bench-floor/workflow.mjs) on a bare worker of the fleet's queue,
     * started and awaited through the client; resolves with the run's chain figures as `run` does.
     */
    async runFloor(env, { agents, cap }) {
      const workflowId = `bench-floor-${Math.random().toString(36).slice(2, 10)}`;
      await client.execute('floorFanOut', { taskQueue: env.BATON_TASK_QUEUE, workflowId, args: [{ agents, cap }] });
      return { chain: await chainFigures(client, workflowId, { modelRequests: model.requests }) };
    },
    async close() {
      await bench.stopWorkers();
      await connection.close();
      await model.close();
      server.kill('SIGTERM');
      await sleep(300);
      // Homes hold every run's blobs (100 MB for the memory bench).
      for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    },
  };
  return bench;
}

/**
 * Figures over every run of a workflow id (a long run continues as new): runs, events, encoded
 * history bytes, the first run's start to the last run's close, and the agents' activity spans.
 */
export async function chainFigures(client, workflowId, { modelRequests = [] } = {}) {
  const histories = [];
  let runId = (await client.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await client.getHandle(workflowId, runId).fetchHistory();
    histories.unshift(history);
    const startedAttrs = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    runId = startedAttrs?.continuedExecutionRunId || undefined;
  }
  let events = 0;
  let bytes = 0;
  let agents = 0;
  let lastAgentEnd = 0;
  let eagerStarts = 0;
  const starts = [];
  // Where the time between agents goes: an agent's end → the workflow scheduling the next one
  // (reaction), scheduled → picked up by a worker (dispatch), started → completed (the attempt).
  // link: an agent's end → the next agent's start, the orchestration between two agents of a slot.
  const steps = { reaction: [], dispatch: [], attempt: [], link: [] };
  // One agent's path in finer steps, from the server's event times and the model server's clock
  // (same machine): activity started → its model request received (the worker's start of the
  // attempt), the model's answer sent → the completion recorded (the worker's end of it), then
  // completed → a workflow task scheduled (waiting for one in flight), → started (the sticky
  // queue's dispatch), → completed with the next agent's ScheduleActivityTask (the worker's
  // activation and the round trip), → the next agent started (matching, or the eager hand-back).
  const path = { toModel: [], afterModel: [], toTask: [], taskPickup: [], taskRun: [], agentsPerTask: [] };
  // This run's requests only (earlier runs of a bench ask the same prompts): the first for each prompt.
  const runStart = timeOf(histories[0].events[0].eventTime);
  const modelAt = new Map();
  for (const request of modelRequests) {
    const prompt = firstUserText(request.body);
    if (request.receivedAt >= runStart && !modelAt.has(prompt)) modelAt.set(prompt, request.receivedAt);
  }
  for (const history of histories) {
    events += history.events.length;
    bytes += HistoryMessage.encode(history).finish().length;
    const scheduledAt = new Map();
    const startedAt = new Map();
    let lastCompleted = null;
    const scheduledAfter = new Map();
    const promptOf = new Map();
    const task = { scheduled: 0, started: 0, completed: 0, agents: 0, completedSeen: null };
    // Agents only: a run's bookkeeping activities (the model listing at its start) are not agents.
    const agentIds = new Set();
    for (const event of history.events) {
      const at = timeOf(event.eventTime);
      const id = Number(event.eventId);
      const scheduling = event.activityTaskScheduledEventAttributes;
      if (scheduling && AGENT_ACTIVITY_TYPES.has(scheduling.activityType?.name)) agentIds.add(id);
      const activityId = scheduling ? id : Number((event.activityTaskStartedEventAttributes ?? event.activityTaskCompletedEventAttributes)?.scheduledEventId);
      if (Number.isFinite(activityId) && !agentIds.has(activityId)) continue;
      if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) task.scheduled = at;
      if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) task.started = at;
      if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        if (task.agents > 0) path.agentsPerTask.push(task.agents);
        task.completed = at;
        task.agents = 0;
      }
      if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        scheduledAt.set(id, at);
        task.agents += 1;
        const prompt = promptOfScheduled(event);
        if (prompt !== null) promptOf.set(id, prompt);
        if (lastCompleted !== null) {
          steps.reaction.push(at - lastCompleted);
          scheduledAfter.set(id, lastCompleted);
          path.toTask.push(Math.max(0, task.scheduled - lastCompleted));
          path.taskPickup.push(task.started - task.scheduled);
          path.taskRun.push(task.completed - task.started);
        }
      }
      if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        starts.push(at);
        const scheduledId = Number(event.activityTaskStartedEventAttributes.scheduledEventId);
        startedAt.set(scheduledId, at);
        steps.dispatch.push(at - scheduledAt.get(scheduledId));
        // An eagerly dispatched agent is started in the same history batch as it is scheduled.
        if (at === scheduledAt.get(scheduledId)) eagerStarts += 1;
        if (scheduledAfter.has(scheduledId)) steps.link.push(at - scheduledAfter.get(scheduledId));
      }
      if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        agents += 1;
        lastAgentEnd = Math.max(lastAgentEnd, at);
        lastCompleted = at;
        const scheduledId = Number(event.activityTaskCompletedEventAttributes.scheduledEventId);
        steps.attempt.push(at - startedAt.get(scheduledId));
        const modelReceived = modelAt.get(promptOf.get(scheduledId));
        if (modelReceived !== undefined) {
          path.toModel.push(modelReceived - startedAt.get(scheduledId));
          path.afterModel.push(at - modelReceived);
        }
      }
    }
  }
  starts.sort((a, b) => a - b);
  const first = histories[0].events[0];
  const last = histories.at(-1).events.at(-1);
  return {
    runs: histories.length,
    events,
    bytes,
    completedActivities: agents,
    workflowSeconds: (timeOf(last.eventTime) - timeOf(first.eventTime)) / 1000,
    agentSpanSeconds: agents > 0 ? (lastAgentEnd - starts[0]) / 1000 : 0,
    /** The model server's view: its first request of this run received, and its last (add the model's latency for the last answer). */
    modelRequestsMs: modelAt.size > 0 ? { first: Math.min(...modelAt.values()), last: Math.max(...modelAt.values()) } : null,
    /** Agent (activity attempt) start times, ms since the epoch, in order. */
    agentStarts: starts,
    /** Median and 90th percentile ms of each step between agents (see `steps` above). */
    stepMs: Object.fromEntries(Object.entries(steps).map(([name, values]) => [name, { p50: percentile(values, 0.5), p90: percentile(values, 0.9) }])),
    /** Median and 90th percentile ms of the finer steps of one agent's path (see `path` above); afterModel includes the model's own latency. */
    pathMs: Object.fromEntries(Object.entries(path).map(([name, values]) => [name, { p50: percentile(values, 0.5), p90: percentile(values, 0.9) }])),
    /** Share of agents started by eager dispatch (started at the moment it was scheduled). */
    eagerShare: starts.length > 0 ? eagerStarts / starts.length : 0,
    /** Mean agents scheduled by a workflow task that scheduled any. */
    agentsPerTask: path.agentsPerTask.length > 0 ? path.agentsPerTask.reduce((a, b) => a + b, 0) / path.agentsPerTask.length : NaN,
    /** ms from the workflow's start to its first agent scheduled, and from the last agent's end to the close. */
    edgesMs: {
      toFirstAgent: firstScheduled(histories[0]) - timeOf(histories[0].events[0].eventTime),
      toFirstAgentStart: starts.length > 0 ? starts[0] - timeOf(histories[0].events[0].eventTime) : NaN,
      afterLastAgent: timeOf(histories.at(-1).events.at(-1).eventTime) - lastAgentEnd,
    },
  };
}

/** The prompt of an agent's ScheduleActivityTask input (a JSON payload), or null. */
function promptOfScheduled(event) {
  const payload = event.activityTaskScheduledEventAttributes?.input?.payloads?.[0];
  try {
    const request = JSON.parse(Buffer.from(payload?.data ?? []).toString('utf8'));
    return typeof request?.prompt === 'string' ? request.prompt : null;
  } catch {
    return null;
  }
}

function percentile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

/** Baton's agent activity, and the floor's (scripts/bench-floor/workflow.mjs). */
const AGENT_ACTIVITY_TYPES = new Set(['runAgent', 'callModel']);

function firstScheduled(history) {
  const event = history.events.find((e) => AGENT_ACTIVITY_TYPES.has(e.activityTaskScheduledEventAttributes?.activityType?.name));
  return event ? timeOf(event.eventTime) : NaN;
}

function timeOf(timestamp) {
  return Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Bytes under a directory (the blob store, the checkpoint slots); 0 if it does not exist. */
export function directoryBytes(dir) {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(path) : statSync(path).size;
  }
  return total;
}

function batonWorkerArgv(concurrency, rateLimit, args = []) {
  const argv = [baton, 'worker', ...args];
  if (concurrency) argv.push('--concurrency', String(concurrency));
  if (rateLimit) argv.push('--rate-limit', String(rateLimit));
  return argv;
}

function startWorker(env, argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    let peakRssBytes = 0;
    const sample = () => (peakRssBytes = Math.max(peakRssBytes, rssOf(child.pid)));
    const sampler = setInterval(sample, 250);
    child.stderr.on('data', (d) => {
      output += d;
      if (output.includes('polling task queue')) resolve(worker);
    });
    child.on('exit', (code) => {
      clearInterval(sampler);
      reject(new Error(`worker exited (${code}): ${output}`));
    });
    const worker = {
      pid: child.pid,
      output: () => output,
      /** The highest resident set seen, from sampling and the kernel's own high-water mark (VmHWM). */
      peakRssBytes: () => Math.max(peakRssBytes, hwmOf(child.pid)),
      rssBytes: () => rssOf(child.pid),
      /** The resident set by kind (kernel's split): anonymous memory (heaps, malloc), mapped files (code), shared memory. */
      rssParts: () => ({ anon: procStatusKb(child.pid, 'RssAnon'), file: procStatusKb(child.pid, 'RssFile'), shmem: procStatusKb(child.pid, 'RssShmem') }),
      stop: () =>
        new Promise((done) => {
          clearInterval(sampler);
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.removeAllListeners('exit');
          child.once('exit', () => done());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    };
  });
}

function procStatusKb(pid, field) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
const rssOf = (pid) => procStatusKb(pid, 'VmRSS');
const hwmOf = (pid) => procStatusKb(pid, 'VmHWM');

/** A fixed-width table: header row, then one row per entry. */
export function printTable(columns, rows) {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  console.log(line(columns));
  for (const row of rows) console.log(line(row));
}

export const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);

/** A script of `agents` agents in one parallel() call; each returns only a short answer. */
export function fanOutScript(name, { promptBytes = 0 } = {}) {
  // The prompt is built inside the script, so it travels as the run's own data would.
  const prompt = promptBytes > 0 ? `'task ' + i + ' ' + 'x'.repeat(${promptBytes})` : `'task ' + i`;
  return `export const meta = { name: '${name}', description: 'benchmark fan-out' }
const n = args.agents
const results = await parallel(Array.from({ length: n }, (_, i) => () => agent(${prompt})))
return { done: results.filter((r) => r !== null).length }
`;
}

/**
 * A client as `baton run` has it, configured by the fleet's environment, and a fan-out script
 * compiled from `source`, with the run options a bench starts it under. `startRuns(argsOf, n)`
 * starts n runs of it at once.
 */
export async function benchRuns(bench, env, { fileName, source, concurrency, maxAgents }) {
  Object.assign(process.env, env);
  const { connectClient } = await import('../dist/client/connection.js');
  const { startRun } = await import('../dist/client/start-run.js');
  const { assertCompiled, compileScript } = await import('../dist/compiler/index.js');
  const { defaultModelTable } = await import('../dist/contract/models.js');
  const client = await connectClient(env.BATON_HOME);
  const script = assertCompiled(await compileScript(fileName, source));
  const options = {
    concurrency,
    maxAgents,
    model: 'sonnet',
    modelTable: defaultModelTable(),
    budgetTokens: null,
    maxCostUsd: null,
    workspace: bench.workspace,
    allow: [],
  };
  const startRuns = (argsOf, n) =>
    Promise.all(Array.from({ length: n }, (_, i) => startRun(client, { script, args: argsOf(i), options }, env.BATON_TASK_QUEUE)));
  return { client, startRuns };
}
