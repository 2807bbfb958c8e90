import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Anthropic from '@anthropic-ai/sdk';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The entry point runs as plain JavaScript in production (dist/); bundle it once the same way.
let dir: string;
let entry: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-server-main-'));
  entry = join(dir, 'main.mjs');
  await build({ entryPoints: ['test/model-server/main.ts'], bundle: true, platform: 'node', format: 'esm', outfile: entry, logLevel: 'silent' });
});
/** Every server this file starts: one a failed assertion left running is ended here. */
const children = new Set<ChildProcess>();

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const url = /^MODEL_SERVER_URL=(.+)$/.exec(line)?.[1];
      if (url) resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`model server exited with ${code} before announcing its URL`)));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('model server entry point', () => {
  it('announces its URL, plays the demo model, and exits 0 on SIGTERM', async () => {
    const { child, url } = await start(['--responder', 'demo', '--port', '0']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const client = new Anthropic({ apiKey: 'test-key', baseURL: url, maxRetries: 0 });
    const message = await client.messages.create({
      model: 'offline',
      max_tokens: 100,
      tools: [{ name: 'Glob', input_schema: { type: 'object', properties: { pattern: { type: 'string' } } } }],
      messages: [{ role: 'user', content: 'look around' }],
    });
    expect(message.content).toMatchObject([{ type: 'tool_use', name: 'Glob', input: { pattern: '**/*' } }]);

    const exited = exitCode(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses an unknown responder name', async () => {
    const child = spawn(process.execPath, [entry, '--responder', 'claude'], { stdio: ['ignore', 'ignore', 'pipe'] });
    expect(await exitCode(child)).toBe(2);
  });
});
