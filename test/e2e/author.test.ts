// `baton author`: the planner model (the model server) writes a script; Baton feeds compile
// errors, and dry-run script errors when a worker answers, back to it; then saves the script.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { compileScript } from '../../compiler/index.js';
import { lastUserText, reply, scripted, startModelServer, text, type ModelServer, type Reply } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const BROKEN = `export const meta = { name: NAME, description: 'Review the diff' }\nreturn {}\n`;
const VALID = `export const meta = {
  name: 'review-diff',
  description: 'Review the diff, verify each finding',
  phases: [{ title: 'Review', model: 'sonnet' }, { title: 'Verify', model: 'haiku' }],
}

const FINDINGS = { type: 'object', properties: { findings: { type: 'array', items: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] } } }, required: ['findings'] }
const VERDICT = { type: 'object', properties: { real: { type: 'boolean' } }, required: ['real'] }

const results = await pipeline(
  ['bugs', 'perf'],
  d => agent('Find ' + d + ' problems in the current diff.', { phase: 'Review', schema: FINDINGS }),
  review => parallel(review.findings.map(f => () =>
    agent('Try to refute: ' + f.title, { phase: 'Verify', schema: VERDICT }).then(v => ({ ...f, verdict: v })))),
)
return { confirmed: results.flat().filter(Boolean).filter(f => f.verdict?.real) }
`;
/** Compiles, but throws when it runs. */
const THROWS = `export const meta = { name: 'review-diff', description: 'd' }\nconst r = await agent('look')\nthrow new Error('boom ' + r)\n`;

const answer = (script: string): Reply => reply(text(`Here is the workflow.\n\n\`\`\`js\n${script}\`\`\`\n`));

function gitRepo(): string {
  const dir = tempDir('baton-author-');
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

/** `line:col: message` of each compile error, as Baton feeds them back. */
async function compileErrors(source: string): Promise<string[]> {
  const result = await compileScript('x.js', source);
  if (result.ok) throw new Error('expected compile errors');
  return result.errors.map((d) => `${d.line}:${d.column}: ${d.message}`);
}

let modelServer: ModelServer | undefined;
afterEach(async () => {
  await modelServer?.close();
  modelServer = undefined;
});

function envFor(server: ModelServer, extra: Record<string, string> = {}): Record<string, string> {
  return cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url, ...extra });
}

describe('baton author', () => {
  it('feeds a compile error back, then saves the fixed script', async () => {
    modelServer = await startModelServer({ responder: scripted(answer(BROKEN), answer(VALID)) });
    const cwd = gitRepo();
    const run = await runCli(['author', 'review my diff', '--save', 'my-review', '--yes', '--json'], { env: envFor(modelServer), cwd });
    expect(run.code, run.stderr).toBe(0);

    expect(modelServer.requests).toHaveLength(2);
    const [first, second] = modelServer.requests.map((r) => r.body);
    expect(first!.model).toBe('claude-opus-5-5');
    expect(lastUserText(first!)).toContain('review my diff');
    expect(typeof first!.system === 'string' ? first!.system : JSON.stringify(first!.system)).toContain('pipeline');
    const errors = await compileErrors(BROKEN);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(lastUserText(second!)).toContain(error);
    expect(lastUserText(second!)).toMatch(/fix these errors and answer with the whole script again/i);

    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ name: 'review-diff', rounds: 2, run: null });
    const saved = join(cwd, '.claude', 'workflows', 'my-review.js');
    expect(out.saved.path).toBe(saved);
    expect(existsSync(saved)).toBe(true);
    const compiled = await compileScript(saved, readFileSync(saved, 'utf8'));
    expect(compiled.ok).toBe(true);
  });

  it('gives up after 3 rounds of errors: exit 2, the last errors printed', async () => {
    modelServer = await startModelServer({ responder: () => answer(BROKEN) });
    const cwd = gitRepo();
    const run = await runCli(['author', 'review my diff', '--save', 'my-review', '--yes'], { env: envFor(modelServer), cwd });
    expect(run.code).toBe(2);
    expect(modelServer.requests).toHaveLength(3);
    for (const error of await compileErrors(BROKEN)) expect(run.stderr).toContain(`authored.js:${error}`);
    expect(run.stderr).toContain('after 3 rounds');
    expect(existsSync(join(cwd, '.claude', 'workflows', 'my-review.js'))).toBe(false);
  });

  it('refuses without ANTHROPIC_API_KEY (exit 2)', async () => {
    const run = await runCli(['author', 'review my diff'], { env: cliEnv(inject('temporalAddress')), cwd: gitRepo() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ANTHROPIC_API_KEY is not set');
  });

  it('refuses an answer with no ```js block and feeds that back', async () => {
    modelServer = await startModelServer({ responder: scripted(reply(text('I would rather talk about it.')), answer(VALID)) });
    const run = await runCli(['author', 'review my diff', '--json'], { env: envFor(modelServer), cwd: gitRepo() });
    expect(run.code, run.stderr).toBe(0);
    expect(lastUserText(modelServer.requests[1]!.body)).toContain('no ```js fenced block');
  });
});

describe('baton author with a worker', () => {
  let worker: WorkerProcess;
  let agentServer: ModelServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    // The worker's model server: a dry run must never reach it.
    agentServer = await startModelServer({ responder: () => reply(text('a real answer')) });
    env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: agentServer.url });
    worker = await startWorkerProcess(env);
  });

  afterAll(async () => {
    await worker?.stop();
    await agentServer?.close();
  });

  it('feeds a dry-run script error back with its line, then shows the estimate', async () => {
    modelServer = await startModelServer({ responder: scripted(answer(THROWS), answer(VALID)) });
    const run = await runCli(['author', 'review my diff', '--json'], { env: { ...env, ANTHROPIC_BASE_URL: modelServer.url }, cwd: gitRepo() });
    expect(run.code, run.stderr).toBe(0);
    expect(modelServer.requests).toHaveLength(2);
    expect(lastUserText(modelServer.requests[1]!.body)).toMatch(/3:\d+: Error: boom \[dry run: look\]/);
    const out = JSON.parse(run.stdout);
    expect(out.rounds).toBe(2);
    expect(out.dryRun).toMatchObject({ status: 'completed', agents: 4 });
    expect(out.dryRun.phases).toEqual([
      { title: 'Review', agents: 2, models: ['claude-sonnet-5-5'] },
      { title: 'Verify', agents: 2, models: ['claude-haiku-5-5'] },
    ]);
    expect(agentServer.requests).toHaveLength(0);
  });
});
