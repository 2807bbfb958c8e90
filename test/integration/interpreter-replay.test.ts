// Replay safety: Date.now() and Math.random() inside QuickJS follow the workflow's clock and seed,
// so a replay of a real history rebuilds the same run; fuses that ended a run replay too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { RunReport } from '../../contract/run-types.js';
import { batonStateQuery } from '../../contract/run-messages.js';
import { bundleInterpreter, directiveResponder, script, startHarness, type Harness } from './interpreter-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder: directiveResponder() });
});
afterAll(async () => h?.close());

// debugMode would disable the 5 s deadlock timeout, and with it the realism of a replay.
const replayOptions = () => ({ workflowBundle: h.bundle, debugMode: false }) as ReplayWorkerOptions;

// Clock and randomness decide how many agents run and what they are asked, so a replay that saw
// other values would issue other commands and fail.
const CLOCK_AND_DICE = script(
  'const t0 = Date.now();\nconst d0 = new Date().toISOString();\nconst r0 = Math.random();\n' +
    'const rolls = Math.floor(r0 * 1000) % 3 + 1;\nconst answers = [];\n' +
    "for (let i = 0; i < rolls; i++) answers.push(await agent('roll ' + i + ' of ' + rolls + ' at ' + t0));\n" +
    'const t1 = Date.now();\nconst r1 = Math.random();\n' +
    'return { t0, d0, r0, rolls, answers, t1, r1 };',
);

describe('replay', () => {
  it('gives a script the workflow clock and seeded randomness', async () => {
    const handle = await h.start(CLOCK_AND_DICE);
    const report = (await handle.result()) as RunReport;
    const result = report.result as { t0: number; d0: string; r0: number; r1: number; t1: number; rolls: number; answers: string[] };
    // The workflow's clock when the script starts: after the run's start-up (the provider's model
    // list is read first, workflows/model-aliases.ts), so not before the run started.
    expect(result.t0).toBeGreaterThanOrEqual(report.startedAt);
    expect(new Date(result.d0).getTime()).toBe(result.t0);
    expect(result.t1).toBeGreaterThanOrEqual(result.t0);
    expect(result.r0).not.toBe(result.r1);
    expect(result.answers).toHaveLength(result.rolls);

    // A query on a closed run replays it from history: the same values come out again.
    const replayed = await handle.query(batonStateQuery);
    expect(replayed.result).toEqual(result);

    await expect(Worker.runReplayHistory(replayOptions(), await handle.fetchHistory())).resolves.toBeUndefined();
  });

  it('replays runs that failed by an uncaught error and by the CPU fuse', async () => {
    const thrown = await h.start(script("await agent('one');\nthrow new Error('boom');"));
    const looped = await h.start(script("await agent('one');\nwhile (true) {}"));
    for (const handle of [thrown, looped]) {
      await expect(handle.result()).rejects.toThrow();
      await expect(Worker.runReplayHistory(replayOptions(), await handle.fetchHistory())).resolves.toBeUndefined();
    }
  });

  it('fails a replay whose script issues other commands (the check is real)', async () => {
    const handle = await h.start(script("await agent('one');\nreturn 1;"));
    await handle.result();
    const history = await handle.fetchHistory();
    // Same history, but the recorded input now asks for two agents before returning.
    const edited = structuredClone(history);
    const started = edited.events?.[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0];
    if (!payload?.data) throw new Error('no workflow input in history');
    const input = JSON.parse(Buffer.from(payload.data).toString());
    const program = input.script.program as string;
    input.script.program = program.replace(/await agent\((["'])one\1\);/, "await agent('one'); await agent('two');");
    expect(input.script.program).not.toBe(program);
    payload.data = Buffer.from(JSON.stringify(input));
    await expect(Worker.runReplayHistory(replayOptions(), edited)).rejects.toThrow(/[Nn]ondetermin/);
  });
});
