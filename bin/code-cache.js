// Runs a CommonJS bundle with a V8 code cache, so that a short command does not compile the
// same megabytes of JavaScript on every start (bench:cli: about 80 ms of a 0.4 s `baton status`).
// Node 22's module.enableCompileCache() does this for every module; Node 20, which Baton
// supports, offers only vm.Script's cachedData. The cache is made after the command has run, so
// it holds the functions that command compiled, and there is one per command word: `status`
// and `run` compile different code. A cache is only an optimisation: one V8 rejects (another
// Node, other flags) is rewritten, and one that cannot be written is skipped.
// The bundle must not use import(): V8 runs a script from a cache without its dynamic-import
// callback (scripts/bundle-cli.mjs turns import() into require()).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/** Runs `filename` as Node runs a CommonJS main module, with the code cache for `command`. */
export function runWithCodeCache(filename, command) {
  const built = bundleIdentity(filename);
  const cacheFile = join(dirname(filename), 'code-cache', `${cacheName(command)}-${process.versions.v8}-${process.arch}-${built}.bin`);
  const cachedData = readOrUndefined(cacheFile);
  // latin1: the bundle is ASCII (scripts/bundle-cli.mjs checks), and latin1 skips UTF-8's decoding.
  const script = new vm.Script(Module.wrap(readFileSync(filename, 'latin1')), { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Only after a command that succeeded, so a mistyped command word leaves no cache behind;
    // and not by a process that outlived a rebuild of the bundle (`baton mcp`, a codec server).
    process.once('exit', (code) => code === 0 && bundleIdentity(filename) === built && writeCache(cacheFile, script));
  }
  const module = { exports: {}, filename };
  script.runInThisContext()(module.exports, createRequire(filename), module, filename, dirname(filename));
}

/**
 * The bundle's build, in a cache's name: V8 checks a cache only against the source's length, so
 * a cache of another build of the same length would run that build's code.
 */
function bundleIdentity(filename) {
  const { size, mtimeMs, ino } = statSync(filename);
  return `${size}-${Math.round(mtimeMs)}-${ino}`;
}

/** The command word when it is one (`status`), else one shared name: a cache per typo is waste. */
function cacheName(command) {
  return command !== undefined && /^[a-z][a-z-]{0,20}$/.test(command) ? command : 'other';
}

function readOrUndefined(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(file, script) {
  // Renamed into place: commands starting meanwhile read a whole cache or none.
  const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, file);
  } catch {
    // A read-only install: every start compiles, as without a cache.
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written.
    }
  }
}
