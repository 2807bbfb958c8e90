// Intl in a script gives the same answers on every worker, whatever its time zone or locale, and
// the same as Node's own Intl (en-US, UTC): one run moves from a SIGKILLed worker to another in
// mid-wait and replays there, a second run runs on the other worker alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { waitFor } from '../harness/wait-for.js';
import { firstUserText, reply, startModelServer, text, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';

const EventType = temporal.api.enums.v1.EventType;
const FORMATTED = `[
  (1234567.5).toLocaleString('en-US'),
  ['b', 'a', 'C', 'résumé', 'resume', 'Zürich', 'zebra', 'file10', 'file2'].sort((x, y) => x.localeCompare(y)),
  ['file10', 'file2', 'file1'].sort(new Intl.Collator('en', { numeric: true }).compare),
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(-98765.432),
  new Date(Date.UTC(2026, 11, 7, 23, 30)).toLocaleString(),
  new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'short' }).format(new Date(Date.UTC(2026, 0, 1, 0, 15))),
]`;
const SCRIPT = `export const meta = { name: 'formats', description: 'Intl before and after a wait' }
const before = ${FORMATTED}
await agent('formatted: ' + JSON.stringify(before))
await new Promise((resolve) => setTimeout(resolve, 4000))
return { before, after: ${FORMATTED} }
`;

let modelServer: ModelServer | undefined;
let connection: Connection | undefined;
const workers: WorkerProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'baton-intl-workers-'));

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await modelServer?.close();
  await connection?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('Intl output is equal on two worker processes with different TZ and LANG, and equal to Node', { timeout: 180_000 }, async () => {
  // What Node itself gives for the defaults Baton pins: en-US and UTC.
  const node = new Function(
    `return ${FORMATTED.replace('.toLocaleString()', ".toLocaleString('en-US', { timeZone: 'UTC' })").replace("timeStyle: 'short' }", "timeStyle: 'short', timeZone: 'UTC' }")}`,
  )();
  expect(node[0]).toBe('1,234,567.5');

  modelServer = await startModelServer({ responder: () => reply(text('ok')) });
  const env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  const path = join(dir, 'formats.js');
  writeFileSync(path, SCRIPT);
  connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection });
  const finished = async (workflowId: string) =>
    waitFor(
      'the run to end',
      async () => {
        const now = JSON.parse((await runCli(['status', workflowId, '--json'], { env })).stdout) as { status: string; result: unknown };
        return now.status === 'running' ? null : now;
      },
      120_000,
      1000,
    );

  // Run 1 starts on a worker in New York with German settings; it is killed in the wait.
  workers.push(await startWorkerProcess({ ...env, TZ: 'America/New_York', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }));
  const first = await runCli(['run', path, '--yes', '--detach', '--json'], { env });
  expect(first.code, first.stderr).toBe(0);
  const firstId = JSON.parse(first.stdout).workflowId as string;
  const handle = client.workflow.getHandle(firstId);
  await waitFor(
    'the wait to start',
    async () => ((await handle.fetchHistory()).events ?? []).some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED),
    60_000,
    200,
  );
  workers[0]!.process.kill('SIGKILL');

  // The other worker, in Kolkata with Japanese settings, replays run 1 and runs run 2 alone.
  workers.push(await startWorkerProcess({ ...env, TZ: 'Asia/Kolkata', LANG: 'ja_JP.UTF-8', LC_ALL: 'ja_JP.UTF-8' }));
  const firstEnd = await finished(firstId);
  const second = await runCli(['run', path, '--yes', '--json'], { env });
  // Exit 1 with --json: the run ended other than completed, and its report (stdout) says how.
  expect(second.code, second.stderr || second.stdout).toBe(0);

  expect(firstEnd.status).toBe('completed');
  expect(firstEnd.result).toEqual({ before: node, after: node });
  expect(JSON.parse(second.stdout).result).toEqual({ before: node, after: node });
  // The prompt built from the formatted values was sent once per run, identical in both.
  const prompts = modelServer.requests.map((r) => firstUserText(r.body)).filter((t) => t.includes('formatted: '));
  expect(prompts).toHaveLength(2);
  expect(prompts[0]).toBe(prompts[1]);
  expect(prompts[0]).toContain(JSON.stringify(node));
});
