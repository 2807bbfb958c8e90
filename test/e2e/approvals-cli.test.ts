// Unattended runs through the `baton` CLI as a user drives them: a run waits at approve() with
// status `waiting` (found by `baton ls --query`), `baton approve` answers it, `--reject` says no,
// and `baton report` tells the morning reader what happened, failed agents' causes included.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { badRequest, echoResponder, firstUserText, startModelServer, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { waitFor as waitUntil } from '../harness/wait-for.js';
import { tempDir } from '../harness/temp-dir.js';

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
let receiver: Server;
/** What the --notify receiver got: event and status of each post. */
const posts: Array<{ event: string; status: string; workflowId: string }> = [];
const dir = tempDir('baton-approve-');

beforeAll(async () => {
  modelServer = await startModelServer({
    responder: async (request, ctx) => (firstUserText(request).includes('[fail]') ? badRequest('this agent was told to fail') : echoResponder(request, ctx)),
  });
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      posts.push(JSON.parse(body));
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
});

// CLI processes on a shared machine: a longer wait than in-process tests.
const waitFor = <T>(what: string, probe: () => T | Promise<T>, timeoutMs = 60_000) => waitUntil(what, probe, timeoutMs, 250);

const GATED = `export const meta = { name: 'gated', description: 'asks before it acts', phases: [{ title: 'Look' }, { title: 'Act' }] }
phase('Look')
const found = await parallel([() => agent('Look around', { label: 'looker' }), () => agent('[fail] Look harder', { label: 'breaker' })])
log('found ' + found.filter(Boolean).length)
const go = await approve('Apply the changes?')
log('go: ' + go)
const tidy = await approve('Tidy up afterwards?')
phase('Act')
if (go) await agent('Apply them', { label: 'applier' })
return { go, tidy }
`;

describe('baton approve and baton report', () => {
  it('waits, is found by ls --query, is answered in order, and reports who answered', async () => {
    const path = join(dir, 'gated.js');
    writeFileSync(path, GATED);
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook?token=SECRET`;
    const started = await runCli(['run', path, '--yes', '--detach', '--json', '--notify', hook], { env });
    expect(started.code, started.stderr).toBe(0);
    const id = JSON.parse(started.stdout).workflowId as string;

    const status = await waitFor('the run to wait', async () => {
      const result = await runCli(['status', id], { env });
      return result.stdout.includes('waiting for approval q1') ? result : null;
    });
    expect(status.stdout).toContain(`· waiting ·`);
    expect(status.stdout).toContain(`"Apply the changes?" · answer: baton approve ${id} [--reject]`);

    const listed = await waitFor('ls --query to list it', async () => {
      const result = await runCli(['ls', '--json', '--query', 'BatonStatus = "waiting"'], { env });
      return result.code === 0 && result.stdout.includes(id) ? result : null;
    });
    expect(listed.stderr).not.toMatch(/^\s+at /m);

    const approved = await runCli(['approve', id], { env });
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('approved q1 "Apply the changes?"');
    await waitFor('the second gate', async () => (await runCli(['status', id], { env })).stdout.includes('waiting for approval q2'));
    const rejected = await runCli(['approve', id, '--reject'], { env });
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stdout).toContain('rejected q2');

    const result = await waitFor('the run to end', async () => {
      const r = await runCli(['result', id, '--json'], { env });
      return JSON.parse(r.stdout).status === 'completed' ? JSON.parse(r.stdout) : null;
    });
    expect(result.result).toEqual({ go: true, tidy: false });

    // Nothing waits any more: answering again is refused in one line, exit 1.
    const again = await runCli(['approve', id], { env });
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);

    const report = await runCli(['report', id], { env });
    expect(report.code).toBe(3);
    expect(report.stdout).toContain('# gated: completed, but 1 of 3 agents failed');
    expect(report.stdout).toMatch(/\*\*a2\*\* breaker .*failed: .*this agent was told to fail/);
    expect(report.stdout).toContain('## Cost by model');
    expect(report.stdout).toMatch(/\*\*q1\*\* "Apply the changes\?": approved by \S+@\S+ at 20/);
    expect(report.stdout).toMatch(/\*\*q2\*\* "Tidy up afterwards\?": rejected by/);
    expect(report.stdout).toContain('found 1\ngo: true');
    const json = JSON.parse((await runCli(['report', id, '--json'], { env })).stdout);
    expect(json.approvals).toHaveLength(2);

    // --notify: a post per wait and one at the end, and the URL's token nowhere in the run.
    await waitFor('the ended post', async () => posts.some((p) => p.workflowId === id && p.event === 'ended'));
    expect(posts.filter((p) => p.workflowId === id).map((p) => [p.event, p.status])).toEqual([
      ['waiting', 'waiting'],
      ['waiting', 'waiting'],
      ['ended', 'completed'],
    ]);
    expect(JSON.stringify(json)).not.toContain('SECRET');
  });

  it('approve on a run that is not waiting says so in one line', async () => {
    const path = join(dir, 'quick.js');
    writeFileSync(path, `export const meta = { name: 'quick', description: 'no gate' }\nreturn 1\n`);
    const run = await runCli(['run', path, '--yes', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const id = JSON.parse(run.stdout).workflowId as string;
    const answer = await runCli(['approve', id], { env });
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain(`${id}: no running run with this id`);
  });
});
