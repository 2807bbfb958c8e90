// Turn reports fail closed (docs/security.md): while an agent's run cannot be reached, its turn report
// stays unanswered and the agent waits, rather than going on unchecked after some retries. The
// run's Temporal server is reached through a loopback relay the test can cut.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { TurnReports } from '../../activities/turn-reports.js';
import { emptyUsage } from '../../contract/pricing.js';
import { SCHEDULED_WORKFLOW_TYPE, type ScheduledRunInput } from '../../contract/scheduled-run.js';
import type { TurnReport } from '../../contract/run-types.js';
import { batonDataConverter } from '../../storage/data-converter.js';
import { waitFor } from '../harness/wait-for.js';
import { firstUserText, reply, text } from '../model-server/index.js';
import { bundleInterpreter, defaultRunOptions, script, startHarness, type Harness } from './interpreter-harness.js';

/** A TCP relay to the dev server: while up it pipes, while down it drops every connection at once. */
function startCuttableRelay(target: string) {
  const [host, port] = target.split(':') as [string, string];
  const open = new Set<net.Socket>();
  const state = { up: false, dropped: 0 };
  const server = net.createServer((inside) => {
    if (!state.up) {
      state.dropped++;
      inside.destroy();
      return;
    }
    const outside = net.connect(Number(port), host);
    for (const s of [inside, outside]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => s.destroy());
    }
    inside.pipe(outside).pipe(inside);
    inside.on('close', () => outside.destroy());
    outside.on('close', () => inside.destroy());
  });
  return {
    state,
    /** Down, and every open connection dropped. */
    cut: () => {
      state.up = false;
      for (const s of open) s.destroy();
    },
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))),
    close: () => {
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

let h: Harness;
let relay: ReturnType<typeof startCuttableRelay>;
let connection: Connection;
let client: Client;
let release: () => void;
const held = new Promise<void>((resolve) => (release = resolve));
let releaseLater: () => void;
const heldLater = new Promise<void>((resolve) => (releaseLater = resolve));
const dir = mkdtempSync(join(tmpdir(), 'baton-turn-reports-'));

const report = (agentId: string): TurnReport => ({
  agentId,
  attemptKey: `${agentId}/1`,
  turn: 1,
  event: 'turn',
  usage: emptyUsage(),
  toolCalls: [],
  text: null,
});

beforeAll(async () => {
  // The run's one agent holds its model call, so the run is alive and answering updates.
  h = await startHarness({
    bundle: await bundleInterpreter(),
    responder: async (request) => {
      await (firstUserText(request).includes('later') ? heldLater : held);
      return reply(text('done'));
    },
  });
  relay = startCuttableRelay(inject('temporalAddress'));
  const port = await relay.listen();
  // No client-side retries and quick reconnects: each resend is one attempt the test can see.
  connection = await Connection.lazy({
    address: `127.0.0.1:${port}`,
    interceptors: [],
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 20, 'grpc.max_reconnect_backoff_ms': 50 },
  });
  client = new Client({ connection, namespace: 'default', dataConverter: batonDataConverter(h.blobStore) });
});

afterAll(async () => {
  release?.();
  releaseLater?.();
  await connection?.close();
  await relay?.close();
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a turn report while the run cannot be reached', () => {
  it('waits for the run to answer, however many sends fail, and logs the wait once per agent', async () => {
    const run = await h.start(script(`return await agent('hold')`));
    await waitFor('the agent to make its model call', () => h.modelServer.requests.length > 0);
    const warnings: string[] = [];
    const reports = new TurnReports({ retryDelaysMs: [20], warn: (message) => warnings.push(message) });

    let answered = false;
    const answer = reports.report(client, run.workflowId, report('ghost')).finally(() => (answered = true));
    // Well past the seven resends after which the report used to be answered `go: true` unchecked.
    await waitFor('the relay to have dropped 30 connections', () => relay.state.dropped >= 30);
    expect(answered).toBe(false);
    expect(warnings).toEqual([expect.stringContaining('Agent ghost is waiting for its run, which cannot be reached')]);

    relay.state.up = true;
    // The run's own answer: it knows no agent "ghost".
    expect(await answer).toEqual({ agentId: 'ghost', go: false, reason: 'agent ghost is not running in this run', counted: true });
    relay.cut();
    release();
    await run.result();
  });

  it('lets a cancelled agent go without an answer', async () => {
    const reports = new TurnReports({ retryDelaysMs: [20], warn: () => {} });
    const cancel = new AbortController();
    const answer = reports.report(client, 'no-such-run-reached', report('cancelled'), cancel.signal);
    const before = relay.state.dropped;
    await waitFor('a few failed sends', () => relay.state.dropped >= before + 3);
    cancel.abort();
    expect(await answer).toEqual({ agentId: 'cancelled', go: false, reason: 'the agent was cancelled', counted: false });
  });
});

describe('a turn report the run refuses', () => {
  it('goes on only for a run with no turn-report handler (counted at the end); one it cannot read stops the agent', async () => {
    // The launcher of a scheduled run waits for its run and has no turn-report handler, like an
    // interpreter from before turn reports; its run's agent holds its model call meanwhile.
    const path = join(dir, 'later.js');
    writeFileSync(path, script(`return await agent('later')`));
    const input: ScheduledRunInput = {
      scheduleId: 'refusals',
      script: { scriptPath: path },
      lookup: { cwd: dir, home: null },
      options: { ...defaultRunOptions(), workspace: dir },
    };
    const launcher = await h.client.workflow.start(SCHEDULED_WORKFLOW_TYPE, { taskQueue: h.taskQueue, workflowId: `refusals-${Date.now()}`, args: [input] });
    await waitFor('the run’s agent to make its model call', () => h.modelServer.requests.some((r) => firstUserText(r.body).includes('later')));
    const reports = new TurnReports({ retryDelaysMs: [20], warn: () => {} });
    expect(await reports.report(h.client, launcher.workflowId, report('old'))).toEqual({ agentId: 'old', go: true, counted: false });

    // A report whose payload the run cannot decode is refused by it: no going on unchecked.
    const unreadable = new Client({
      connection: h.client.connection,
      namespace: 'default',
      dataConverter: {
        payloadCodecs: [
          {
            encode: async (payloads) => payloads.map((p) => ({ ...p, metadata: { ...p.metadata, encoding: new TextEncoder().encode('binary/unknown') } })),
            decode: async (payloads) => payloads,
          },
        ],
      },
    });
    const refused = await reports.report(unreadable, `${launcher.workflowId}-run`, report('unreadable'));
    expect(refused).toMatchObject({ agentId: 'unreadable', go: false, counted: false });
    expect(refused.reason).toBe('the run refused the turn report: Unknown encoding: binary/unknown');

    releaseLater();
    expect((await launcher.result()).status).toBe('completed');
  });
});
