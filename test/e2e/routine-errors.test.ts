// What a new user meets when something routine goes wrong (docs/cli.md): one or two lines saying
// what to do next, the documented exit code (docs/cli.md#runs-exit-codes-and-errors), and never a stack trace (`at …` lines).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { cliEnv, runCli } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const dir = tempDir('baton-routine-');
const good = join(dir, 'ok.js');
writeFileSync(good, `export const meta = { name: 'ok', description: 'fine' }\nreturn 1\n`);
const bad = join(dir, 'bad.js');
writeFileSync(bad, `export const meta = { name: 'bad', description: 'd' }\nconst x = (\n`);
/** Nothing listens here: a server that is down. */
const DOWN = '127.0.0.1:1';

type Case = [string, string[], 'up' | 'down', number, RegExp];
const CASES: Case[] = [
  ['unknown run (status)', ['status', 'no-such-run'], 'up', 1, /no run with id no-such-run.*baton ls/],
  ['unknown run (report)', ['report', 'no-such-run'], 'up', 1, /no run with id no-such-run/],
  ['unknown run id (status)', ['status', '4f0c0e8e-0000-4000-8000-00000000abcd'], 'up', 1, /no run with id 4f0c0e8e-0000-4000-8000-00000000abcd/],
  ['unknown run (result)', ['result', 'no-such-run'], 'up', 1, /no run with id no-such-run/],
  ['unknown run (approve)', ['approve', 'no-such-run'], 'up', 1, /no-such-run: no running run with this id/],
  ['server down (ls)', ['ls'], 'down', 1, /Cannot reach Temporal at 127\.0\.0\.1:1.*\n.*baton up/],
  ['server down (status)', ['status', 'x'], 'down', 1, /Cannot reach Temporal/],
  ['server down (run)', ['run', good, '--yes'], 'down', 1, /Cannot reach Temporal/],
  ['bad flag', ['run', good, '--yes', '--concurrency', 'many'], 'up', 2, /--concurrency takes a number/],
  ['unknown option', ['status', 'x', '--colour'], 'up', 2, /unknown option '--colour'/],
  ['bad notify URL', ['run', good, '--yes', '--notify', 'ftp://x'], 'up', 2, /--notify takes an http\(s\) URL/],
  ['bad script', ['run', bad, '--yes'], 'up', 2, /bad\.js:\d+:\d+:/],
  ['missing script', ['run', join(dir, 'nope.js'), '--yes'], 'up', 2, /no such script file/],
];

describe('routine failures', () => {
  it.each(CASES)('%s: one or two lines, no stack', async (_name, args, server, code, message) => {
    const result = await runCli(args, { env: cliEnv(server === 'up' ? inject('temporalAddress') : DOWN), timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    // The message, and at most a usage hint after it.
    expect(result.stderr.trim().split('\n').length, result.stderr).toBeLessThanOrEqual(3);
  });
});
