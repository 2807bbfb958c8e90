// A fleet that shares no disk: two workers and a client, each with its own BATON_HOME and HOME,
// sharing only Temporal and an S3 bucket (SeaweedFS). Big prompts and results travel through
// the bucket, an agent whose worker is SIGKILLed between turns continues on the other worker
// from its checkpoint in the bucket, the codec server shows the history's payloads in full, a
// schedule's big args live under schedules/, and nothing of a run is written to a local home.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findTemporalCli } from '../../stack/temporal-cli.js';
import { freePort } from '../harness/free-port.js';
import { findSeaweedFs, startSeaweedFs, type RunningSeaweedFs } from '../harness/seaweedfs.js';
import { completedTurnsAskedAgain, firstUserText, reply, startModelServer, text, toolUse, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const AGENTS = 60;
const PROMPT_BYTES = 100_000;
// 'é' is two bytes in UTF-8: 50,000 of them make a 100 KB answer within one turn's 16,000-token cap.
const ANSWER = 'é'.repeat(50_000);

const BIG_SCRIPT = `export const meta = { name: 'big-fleet', description: '${AGENTS} agents with 100 KB prompts and results' }
const pad = 'p'.repeat(${PROMPT_BYTES})
return await parallel(Array.from({ length: ${AGENTS} }, (_, i) => () => agent('BIG ' + i + ' ' + pad, { label: 'big ' + i })))
`;
const STEPS_SCRIPT = `export const meta = { name: 'steps', description: 'one agent, three turns' }
return await agent('STEPS through the notes')
`;

const NOTED_SCRIPT = `export const meta = { name: 'noted', description: 'one agent on big args' }
return await agent('NOTE ' + args.note)
`;

const weed = findSeaweedFs();
const batonBin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
let s3: RunningSeaweedFs | undefined;
let modelServer: ModelServer | undefined;
const workers: WorkerProcess[] = [];
const others: ChildProcess[] = [];
const homes: string[] = [];
let clientEnv: Record<string, string>;
let workspace: string;
let bigRunId: string;

/** One process's environment: the shared settings plus its own BATON_HOME and HOME. */
function ownHomes(base: Record<string, string>): Record<string, string> {
  const home = tempDir('baton-fleet-home-');
  const batonHome = tempDir('baton-fleet-baton-home-');
  homes.push(home, batonHome);
  return { ...base, HOME: home, BATON_HOME: batonHome };
}

async function waitForEnd(workflowId: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await runCli(['status', workflowId, '--json'], { env: clientEnv });
    const status = answer.code === 0 || answer.code === 3 ? (JSON.parse(answer.stdout) as { status: string }).status : 'unknown';
    if (status !== 'running' && status !== 'unknown') return status;
    if (Date.now() > deadline) throw new Error(`${workflowId} still ${status}: ${answer.stderr}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3!.client.send(new ListObjectsV2Command({ Bucket: s3!.bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** Every payload in `temporal workflow show -o json` output: whether it is a reference, and its data as text. */
function payloadsOf(node: unknown): { reference: boolean; text: string }[] {
  if (Array.isArray(node)) return node.flatMap(payloadsOf);
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  if (typeof record.data === 'string' && record.metadata && typeof record.metadata === 'object') {
    const messageType = (record.metadata as Record<string, string>).messageType;
    return [
      {
        reference: messageType !== undefined && Buffer.from(messageType, 'base64').toString() === 'temporal.api.sdk.v1.ExternalStorageReference',
        text: Buffer.from(record.data, 'base64').toString('utf8'),
      },
    ];
  }
  return Object.values(record).flatMap(payloadsOf);
}

function filesUnder(dir: string): { path: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, bytes: statSync(path).size };
    });
}

describe.skipIf(!weed)('a fleet with no shared disk', () => {
  beforeAll(async () => {
    s3 = await startSeaweedFs(weed!);
    modelServer = await startModelServer({
      responder: (request) => {
        const prompt = firstUserText(request);
        if (prompt.startsWith('BIG ')) return reply(text(`${prompt.split(' ')[1]} ${ANSWER}`));
        if (prompt.startsWith('NOTE ')) return reply(text(`noted ${prompt.length} characters`));
        const turn = request.messages.filter((m) => m.role === 'assistant').length;
        if (turn === 0) return { ...reply(toolUse('Glob', { pattern: '*.md' })), delayMs: 300 };
        // The window in which the test kills the worker: turn one is complete and checkpointed.
        if (turn === 1) return { ...reply(toolUse('Read', { file_path: 'notes.md' })), delayMs: 2000 };
        return { ...reply(text('steps done')), delayMs: 300 };
      },
    });
    workspace = tempDir('baton-fleet-workspace-');
    writeFileSync(join(workspace, 'notes.md'), '# notes\n');
    writeFileSync(join(workspace, 'big.js'), BIG_SCRIPT);
    writeFileSync(join(workspace, 'steps.js'), STEPS_SCRIPT);
    writeFileSync(join(workspace, 'noted.js'), NOTED_SCRIPT);
    const base = cliEnv(inject('temporalAddress'), {
      ...s3.env,
      BATON_BLOB_STORE: `s3://${s3.bucket}/fleet`,
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: modelServer.url,
    });
    clientEnv = ownHomes(base);
    workers.push(await startWorkerProcess(ownHomes(base)), await startWorkerProcess(ownHomes(base)));
  });

  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    for (const child of others) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await modelServer?.close();
    await s3?.stop();
  });

  it(`runs ${AGENTS} agents with 100 KB prompts and results, and the client reads the result`, { timeout: 240_000 }, async () => {
    // 60 prompts and answers of 100 KB cost more than the unattended default ceiling of $5: agents
    // that start after enough others ended would wait at it (a slow machine staggers their starts).
    const flags = ['--concurrency', String(AGENTS), '--max-cost', '100', '--workspace', workspace];
    const started = await runCli(['run', join(workspace, 'big.js'), '--yes', '--detach', '--json', ...flags], { env: clientEnv });
    expect(started.code, started.stderr).toBe(0);
    bigRunId = JSON.parse(started.stdout).workflowId;
    expect(await waitForEnd(bigRunId, 200_000)).toBe('completed');

    const answer = await runCli(['result', bigRunId, '--json'], { env: clientEnv, timeoutMs: 120_000 });
    expect(answer.code, answer.stderr).toBe(0);
    const result = JSON.parse(answer.stdout).result as string[];
    expect(result).toHaveLength(AGENTS);
    // Compared in short form: a failure must not print 6 MB.
    expect(result.map((r, i) => (r === `${i} ${ANSWER}` ? 'ok' : `${r.length} chars: ${r.slice(0, 12)}…${r.slice(-12)}`))).toEqual(Array(AGENTS).fill('ok'));
    expect(Buffer.byteLength(result[0]!)).toBeGreaterThanOrEqual(100_000);
    // Both workers took agents, and every prompt reached the model whole.
    expect(modelServer!.requests.filter((r) => firstUserText(r.body).length > PROMPT_BYTES)).toHaveLength(AGENTS);
    // Every prompt and result went through the bucket, under the run's own prefix.
    expect((await keysUnder(`fleet/payloads/default/${encodeURIComponent(bigRunId)}/`)).length).toBeGreaterThanOrEqual(2 * AGENTS);
  });

  it('continues an agent on the other worker from its checkpoint in the bucket when its worker is SIGKILLed between turns', { timeout: 180_000 }, async () => {
    const started = await runCli(['run', join(workspace, 'steps.js'), '--yes', '--detach', '--json', '--workspace', workspace], { env: clientEnv });
    expect(started.code, started.stderr).toBe(0);
    const { workflowId } = JSON.parse(started.stdout);

    // Turn one is complete (its tool result is in the request for turn two) and turn two is in flight.
    const secondTurn = () => modelServer!.requests.some((r) => firstUserText(r.body).startsWith('STEPS') && r.body.messages.length === 3);
    while (!secondTurn()) await new Promise((r) => setTimeout(r, 50));
    expect(await keysUnder('fleet/checkpoints/slots/')).toHaveLength(1);

    const connection = await Connection.connect({ address: inject('temporalAddress') });
    let identity: string;
    try {
      const described = await new Client({ connection }).workflow.getHandle(workflowId).describe();
      identity = described.raw.pendingActivities?.[0]?.lastWorkerIdentity ?? '';
    } finally {
      await connection.close();
    }
    const running = workers.find((w) => identity.startsWith(`${w.process.pid}@`));
    expect(running, `no worker has identity ${identity}`).toBeDefined();
    running!.process.kill('SIGKILL');

    expect(await waitForEnd(workflowId, 150_000)).toBe('completed');
    const answer = await runCli(['result', workflowId, '--json'], { env: clientEnv });
    expect(JSON.parse(answer.stdout).result).toBe('steps done');
    const steps = modelServer!.requests.filter((r) => firstUserText(r.body).startsWith('STEPS'));
    expect(completedTurnsAskedAgain(steps)).toBe(0);
    // Turn two was asked again (it was in flight), turn one never.
    expect(steps.filter((r) => r.body.messages.length === 1)).toHaveLength(1);
    // The agent ended: its slot is gone.
    expect(await keysUnder('fleet/checkpoints/slots/')).toEqual([]);
  });

  it('decodes the history of a run through `baton codec-server` (temporal workflow show --codec-endpoint)', { timeout: 180_000 }, async () => {
    const port = await freePort();
    const codec = spawn(process.execPath, [batonBin, 'codec-server', '--port', String(port)], {
      env: ownHomes(clientEnv),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    others.push(codec);
    let log = '';
    codec.stderr!.on('data', (d) => (log += d));
    while (!log.includes('baton codec-server:')) {
      if (codec.exitCode !== null) throw new Error(`codec server exited: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const show = (extra: string[]) =>
      new Promise<string>((resolve, reject) => {
        const cli = spawn(findTemporalCli(), ['workflow', 'show', '-w', bigRunId, '-o', 'json', '--address', inject('temporalAddress'), ...extra], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const out: Buffer[] = [];
        let err = '';
        cli.stdout.on('data', (d: Buffer) => out.push(d));
        cli.stderr.on('data', (d) => (err += d));
        cli.on('exit', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`temporal workflow show: ${err}`))));
      });
    // Compared as flags and counts: a failure must not print megabytes of history.
    const plain = payloadsOf(JSON.parse(await show([])));
    expect(plain.filter((p) => p.reference).length).toBeGreaterThanOrEqual(2 * AGENTS);
    expect(plain.some((p) => p.text.includes('p'.repeat(1000)))).toBe(false);

    const decoded = payloadsOf(JSON.parse(await show(['--codec-endpoint', `http://127.0.0.1:${port}`])));
    expect(decoded.filter((p) => p.reference)).toEqual([]);
    expect(decoded.filter((p) => p.text.includes(`BIG 7 ${'p'.repeat(PROMPT_BYTES)}`)).length).toBeGreaterThanOrEqual(1);
    expect(decoded.filter((p) => p.text.includes(`59 ${ANSWER}`)).length).toBeGreaterThanOrEqual(1);
    codec.kill('SIGTERM');
  });

  it("keeps a schedule's big args under schedules/, where its firing reads them", { timeout: 120_000 }, async () => {
    const id = `noted-${Math.random().toString(36).slice(2, 8)}`;
    const args = JSON.stringify({ note: 'n'.repeat(20_000) });
    const created = await runCli(
      ['schedule', 'create', id, '--every', '1h', '--script', join(workspace, 'noted.js'), '--args', args, '--workspace', workspace],
      { env: clientEnv },
    );
    expect(created.code, created.stderr).toBe(0);
    // Every firing refers to them, so they live apart from runs' payloads (no expiry rule there).
    expect(await keysUnder(`fleet/schedules/default/${id}/`)).toHaveLength(1);
    try {
      expect((await runCli(['schedule', 'trigger', id], { env: clientEnv })).code).toBe(0);
      // The firing's launcher, on a worker, read the args from the bucket and started the run.
      let runs: { workflowId: string; name: string }[] = [];
      for (let i = 0; i < 60 && !runs.some((r) => r.name === 'noted'); i++) {
        await new Promise((r) => setTimeout(r, 1000));
        runs = JSON.parse((await runCli(['schedule', 'describe', id, '--json'], { env: clientEnv })).stdout).runs;
      }
      expect(runs.map((r) => r.name)).toContain('noted');
    } finally {
      await runCli(['schedule', 'delete', id], { env: clientEnv });
    }
  });

  it('writes nothing of a run to any local home', () => {
    const written = homes.flatMap(filesUnder);
    expect(written.filter((f) => /blobs|checkpoints/.test(f.path))).toEqual([]);
    // Nothing the size of a payload either (the homes hold at most a few small files).
    expect(written.filter((f) => f.bytes > 4096)).toEqual([]);
  });
});
