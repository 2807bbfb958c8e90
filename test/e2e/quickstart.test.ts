// The README's first command, as a newcomer runs it without an API key: the offline demo starts
// its own stack, runs the example review to completion, and `--down` stops what it started.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'baton-quickstart-'));
const env = { PATH: process.env.PATH ?? '', HOME: home };

function quickstart(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['scripts/quickstart.sh', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, output }));
  });
}

afterAll(async () => {
  await quickstart('--down');
  rmSync(home, { recursive: true, force: true });
});

it('bash scripts/quickstart.sh runs the offline demo to the end, and --down stops it', { timeout: 240_000 }, async () => {
  const run = await quickstart();
  expect(run.code, run.output).toBe(0);
  expect(run.output).toContain('OFFLINE DEMO');
  expect(run.output).toMatch(/✓ completed: 4 agents/);
  expect(run.output).toContain('"confirmed"');
  const down = await quickstart('--down');
  expect(down.code, down.output).toBe(0);
  expect(down.output).toMatch(/stopped|not running/i);
});
