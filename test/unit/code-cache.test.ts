// bin/code-cache.js: the CLI bundle runs as a CommonJS main module would, and leaves a V8 code
// cache per command word after a command that succeeded, which the next start of that command
// takes instead of compiling the bundle again.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import { expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir.js';

const loader = new URL('../../bin/code-cache.js', import.meta.url).href;

/** Runs `bundle` through the loader as `baton WORD`, in a new Node process. */
async function start(bundle: string, word: string) {
  const program = `import { runWithCodeCache } from ${JSON.stringify(loader)}; process.argv[2] = ${JSON.stringify(word)}; runWithCodeCache(${JSON.stringify(bundle)}, process.argv[2]);`;
  return promisify(execFile)(process.execPath, ['--input-type=module', '-e', program]).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

function bundleIn(dir: string): string {
  const bundle = join(dir, 'baton.cjs');
  // What the real bundle relies on: require, __filename, and an exit code set by the command.
  writeFileSync(
    bundle,
    `const { basename } = require('node:path');
     console.log(basename(__filename), typeof module.exports);
     if (process.argv[2] === 'fails') process.exitCode = 2;`,
  );
  return bundle;
}

it('runs the bundle as a CommonJS module and keeps one cache per command that succeeded', async () => {
  const dir = tempDir('baton-code-cache-');
  const bundle = bundleIn(dir);
  expect(await start(bundle, 'status')).toEqual({ code: 0, stdout: 'baton.cjs object\n' });
  const caches = () => (existsSync(join(dir, 'code-cache')) ? readdirSync(join(dir, 'code-cache')) : []);
  expect(caches()).toEqual([expect.stringMatching(new RegExp(`^status-${process.versions.v8}-${process.arch}-[0-9-]+\\.bin$`))]);

  // Taken as it is by the next start: not rewritten.
  const cache = join(dir, 'code-cache', caches()[0]!);
  const written = statSync(cache).mtimeMs;
  expect((await start(bundle, 'status')).code).toBe(0);
  expect(statSync(cache).mtimeMs).toBe(written);

  // A failed command (a typo of a word, say) leaves none.
  expect((await start(bundle, 'fails')).code).toBe(2);
  expect(caches()).toHaveLength(1);

  // A rebuilt bundle of the same length (V8 would take the old cache for it) gets its own.
  writeFileSync(bundle, readFileSync(bundle, 'utf8').replace("'fails'", "'FAILS'"));
  expect((await start(bundle, 'status')).code).toBe(0);
  expect(caches()).toHaveLength(2);
});

it('a process that outlives a rebuild of the bundle leaves no cache for it', async () => {
  const dir = tempDir('baton-code-cache-');
  const bundle = join(dir, 'baton.cjs');
  // The command rebuilds "its" bundle before it exits, as `npm install` would under a `baton mcp`.
  writeFileSync(bundle, `require('node:fs').writeFileSync(__filename, '// rebuilt: ' + 'x'.repeat(40));`);
  expect((await start(bundle, 'mcp')).code).toBe(0);
  expect(existsSync(join(dir, 'code-cache'))).toBe(false);
});

it('the CLI bundle makes no import() call (one run from a code cache could not)', () => {
  const bundle = new URL('../../dist/cli-bundle/baton.cjs', import.meta.url);
  const imports: number[] = [];
  simple(parse(readFileSync(bundle, 'utf8'), { ecmaVersion: 'latest', allowHashBang: true }), {
    ImportExpression: (node) => void imports.push(node.start),
  });
  expect(imports).toEqual([]);
});

it('rewrites a cache V8 rejects, and runs without one where none can be written', async () => {
  const dir = tempDir('baton-code-cache-');
  const bundle = bundleIn(dir);
  await start(bundle, 'ls');
  const cache = join(dir, 'code-cache', readdirSync(join(dir, 'code-cache'))[0]!);
  writeFileSync(cache, 'not a code cache');
  expect((await start(bundle, 'ls')).stdout).toBe('baton.cjs object\n');
  expect(statSync(cache).size).toBeGreaterThan('not a code cache'.length);

  // The cache directory's place taken by a file: the command still runs.
  const blocked = tempDir('baton-code-cache-');
  const blockedBundle = bundleIn(blocked);
  writeFileSync(join(blocked, 'code-cache'), '');
  expect(await start(blockedBundle, 'ls')).toEqual({ code: 0, stdout: 'baton.cjs object\n' });
});
