// Runs a CommonJS bundle with a V8 code cache, so that a short command does not compile the
// same megabytes of JavaScript on every start (bench:cli: about 80 ms of a 0.4 s `baton status`).
// Node 22's module.enableCompileCache() does this for every module; Node 20, which Baton
// supports, offers only vm.Script's cachedData. The cache is made after the command has run, so
// it holds the functions that command compiled, and there is one per command word: `status`
// and `run` compile different code. A cache is only an optimisation: one V8 rejects (another
// Node, other flags) is rewritten, and one that cannot be written is skipped.
import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/** Runs `filename` as Node runs a CommonJS main module, with the code cache for `command`. */
export function runWithCodeCache(filename, command) {
  const cacheFile = join(dirname(filename), 'code-cache', `${cacheName(command)}-${process.versions.v8}-${process.arch}.bin`);
  const cachedData = readOrUndefined(cacheFile);
  const script = new vm.Script(Module.wrap(readFileSync(filename, 'utf8')), {
    filename,
    cachedData,
    // The bundle's import() calls (Node built-ins) go to Node's own loader.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Only after a command that succeeded, so a mistyped command word leaves no cache behind.
    process.once('exit', (code) => code === 0 && writeCache(cacheFile, script));
  }
  const module = { exports: {}, filename };
  script.runInThisContext()(module.exports, createRequire(filename), module, filename, dirname(filename));
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
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Renamed into place: commands starting meanwhile read a whole cache or none.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, file);
  } catch {
    // A read-only install: every start compiles, as without a cache.
  }
}
