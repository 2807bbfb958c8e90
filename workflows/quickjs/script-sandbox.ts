// One script's QuickJS isolate: limits, host functions, the promise bridge, and how the script
// ended. Nothing of the host realm is ever handed to QuickJS: only strings and numbers cross,
// through functions created with context.newFunction, so no host object can be reached from
// the script (docs/design.md#why-quickjs).
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core';
import { CpuFuse, type FuseTrip } from './cpu-fuse.js';
import type { LoadedQuickJS } from './load-quickjs.js';

/** The wasm heap of one run, QuickJS's objects included. Generous for orchestration scripts. */
export const SCRIPT_MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;
/**
 * QuickJS's stack-depth check. Measured: 64 KB and 256 KB give a clean, catchable
 * `InternalError: stack overflow`; 1 MB lets the wasm call stack overflow V8's own stack first.
 */
export const SCRIPT_STACK_LIMIT_BYTES = 256 * 1024;
/** File names QuickJS puts in stack traces, so errors can be traced back to the script. */
export const PROGRAM_FILE = 'baton-program.js';
export const PRELUDE_FILE = 'baton-prelude.js';
/** Bytes of QuickJS's JSContext struct scanned for its interrupt counter (at 232 in this build). */
const CONTEXT_STRUCT_WORDS = 72;
/** Three polls find the counter (10,000 + 10,000 + 500 ticks); the loop takes about 1 ms. */
const WARM_UP_TICKS = 50_000;

export type HostValue = string | number | boolean | null | undefined;

export interface SandboxBindings {
  /** Host functions the prelude calls and gets a value back from at once. */
  sync: Record<string, (...args: HostValue[]) => HostValue | void>;
  /** Host functions whose result arrives later: the prelude gets a promise of a string. */
  async: Record<string, (...args: HostValue[]) => Promise<string>>;
  /**
   * Host functions that hand the prelude code to evaluate in the isolate: the prelude gets the
   * code's value (a nested workflow's program, as a function). Code that throws ends the run.
   */
  programs?: Record<string, (...args: HostValue[]) => { code: string; fileName: string }>;
}

export interface ThrownError {
  name: string;
  message: string;
  stack: string;
}

/** How the script ended. Every kind is the script's doing; interpreter bugs reject instead. */
export type ScriptEnd =
  | { kind: 'returned'; json: string | undefined }
  | { kind: 'threw'; error: ThrownError }
  | { kind: 'timeout'; trip: FuseTrip; error: ThrownError }
  | { kind: 'out-of-memory'; error: ThrownError }
  | { kind: 'stalled' };

export interface SandboxProgram {
  /** `(function (host, ...extra) { ...; return start })`: see script-prelude.ts. */
  prelude: string;
  /** Extra arguments for the prelude after `host`. */
  preludeArgs: HostValue[];
  /** An expression that evaluates to the script's async function. */
  program: string;
  /** `(function (host) { ... })` sources run before the prelude, each installing more globals. */
  installers?: Array<{ code: string; fileName: string }>;
}

export class ScriptSandbox {
  private readonly runtime: QuickJSRuntime;
  private readonly context: QuickJSContext;
  private readonly fuse: CpuFuse;
  private readonly pending = new Set<QuickJSDeferredPromise>();
  private ended = false;
  private settle!: { resolve: (end: ScriptEnd) => void; reject: (error: unknown) => void };
  /** Settles once with how the script ended, or rejects with an interpreter bug. */
  readonly end: Promise<ScriptEnd>;

  constructor(
    private readonly loaded: LoadedQuickJS,
    private readonly bindings: SandboxBindings,
  ) {
    this.end = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.runtime = loaded.quickjs.newRuntime();
    // Still worth setting: it bounds a single allocation (a giant string), see load-quickjs.ts.
    this.runtime.setMemoryLimit(SCRIPT_MEMORY_LIMIT_BYTES);
    this.runtime.setMaxStackSize(SCRIPT_STACK_LIMIT_BYTES);
    this.context = this.runtime.newContext();
    // The JSContext struct (a few hundred bytes in this build): where the fuse finds QuickJS's
    // interrupt counter. `ctx` is quickjs-emscripten's handle on the context pointer.
    const contextPointer = (this.context as unknown as { ctx: { value: number } }).ctx.value;
    this.fuse = new CpuFuse({ words: () => loaded.heapWords(contextPointer, CONTEXT_STRUCT_WORDS) });
    this.runtime.setInterruptHandler(this.fuse.shouldInterrupt);
  }

  /** Installs the prelude, evaluates the program and runs it until its first await. */
  start(source: SandboxProgram): Promise<ScriptEnd> {
    this.fuse.enter();
    // QuickJS polls the fuse first after 10,000 ticks, which a loop of native calls can take
    // seconds to reach; a warm-up loop lets the fuse find and shorten the counter beforehand.
    const warmUp = this.evaluate(`(function () { for (var i = 0; i < ${WARM_UP_TICKS}; i++) {} })()`, 'baton-warm-up.js');
    warmUp?.dispose();
    const host = this.hostObject();
    for (const installer of source.installers ?? []) this.install(installer.code, installer.fileName, host);
    const preludeFn = this.ended ? null : this.evaluate(source.prelude, PRELUDE_FILE);
    if (!preludeFn) {
      host.dispose();
      return this.end;
    }
    const extra = source.preludeArgs.map((value) => this.toHandle(value));
    const startFn = this.call(preludeFn, [host, ...extra]);
    preludeFn.dispose();
    host.dispose();
    for (const handle of extra) handle.dispose();
    if (!startFn) return this.end;

    // Parentheses make the function expression evaluable; the newline keeps a trailing line
    // comment from swallowing the closing one. Line numbers are unchanged.
    const main = this.evaluate(`(${source.program}\n)`, PROGRAM_FILE);
    if (main) {
      this.fuse.enter();
      const started = this.call(startFn, [main]);
      started?.dispose();
      main.dispose();
    }
    startFn.dispose();
    this.drain();
    return this.end;
  }

  private install(code: string, fileName: string, host: QuickJSHandle): void {
    const fn = this.ended ? null : this.evaluate(code, fileName);
    if (fn) this.call(fn, [host])?.dispose();
    fn?.dispose();
  }

  /** Frees QuickJS. Only after a clean end: after a fuse trip the heap may be half-built. */
  close(): { leaked: string | null } {
    for (const deferred of this.pending) deferred.dispose();
    this.pending.clear();
    try {
      this.context.dispose();
      this.runtime.dispose();
      return { leaked: null };
    } catch (error) {
      return { leaked: String(error) };
    }
  }

  private finish(end: ScriptEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.settle.resolve(this.classify(end));
  }

  // A tripped fuse or an exhausted heap explains whatever came after it: the interrupt error can
  // surface as an ordinary rejection (async functions turn it into one), and after an
  // out-of-memory QuickJS may fail in odd ways (an error it could not allocate, a stalled job).
  private classify(end: ScriptEnd): ScriptEnd {
    const error = 'error' in end ? end.error : { name: 'InternalError', message: '', stack: '' };
    if (this.fuse.tripped) return { kind: 'timeout', trip: this.fuse.tripped, error };
    if (end.kind === 'returned' || end.kind === 'timeout') return end;
    if (this.loaded.memoryExhausted() || error.message === 'out of memory') return { kind: 'out-of-memory', error };
    return end;
  }

  /** An interpreter bug: fail the workflow task (not the run) so a fixed worker can resume. */
  private fatal(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.settle.reject(error);
  }

  private evaluate(code: string, fileName: string): QuickJSHandle | null {
    const result = this.context.evalCode(code, fileName);
    if (result.error) {
      this.crashed(result.error);
      result.error.dispose();
      return null;
    }
    return result.value;
  }

  private call(fn: QuickJSHandle, args: QuickJSHandle[]): QuickJSHandle | null {
    const result = this.context.callFunction(fn, this.context.undefined, args);
    if (result.error) {
      this.crashed(result.error);
      result.error.dispose();
      return null;
    }
    return result.value;
  }

  /** Runs QuickJS's job queue after the host settled a promise, then checks for a stall. */
  private drain(): void {
    if (this.ended) return;
    this.fuse.enter();
    const result = this.runtime.executePendingJobs();
    if (result.error) {
      this.crashed(result.error);
      result.error.dispose();
      return;
    }
    // Nothing left to run and nothing the host still owes the script: it awaits forever.
    if (!this.ended && this.pending.size === 0) this.finish({ kind: 'stalled' });
  }

  /** An exception escaped to the host: a fuse trip, an out-of-memory, or an uncaught error. */
  private crashed(handle: QuickJSHandle): void {
    this.finish({ kind: 'threw', error: this.describe(handle) });
  }

  /** Reads name/message/stack without running script code (no getters, no toString). */
  private describe(handle: QuickJSHandle): ThrownError {
    const fallback = { name: 'Error', message: 'the script threw a value that is not an Error', stack: '' };
    try {
      if (this.context.typeof(handle) !== 'object') return fallback;
      const field = (key: string): string => {
        const value = this.context.getProp(handle, key);
        try {
          return this.context.typeof(value) === 'string' ? this.context.getString(value) : '';
        } finally {
          value.dispose();
        }
      };
      return { name: field('name') || 'Error', message: field('message'), stack: field('stack') };
    } catch {
      return fallback;
    }
  }

  private hostObject(): QuickJSHandle {
    const host = this.context.newObject();
    const define = (name: string, fn: (...args: HostValue[]) => QuickJSHandle) => {
      const handle = this.context.newFunction(name, (...args) => {
        try {
          return fn(...args.map((arg) => this.fromHandle(arg)));
        } catch (error) {
          this.fatal(error);
          return this.context.undefined;
        }
      });
      this.context.setProp(host, name, handle);
      handle.dispose();
    };
    for (const [name, fn] of Object.entries(this.bindings.sync)) {
      define(name, (...args) => (this.ended ? this.context.undefined : this.toHandle(fn(...args) ?? undefined)));
    }
    for (const [name, fn] of Object.entries(this.bindings.async)) {
      define(name, (...args) => this.bridge(() => fn(...args)));
    }
    for (const [name, fn] of Object.entries(this.bindings.programs ?? {})) {
      define(name, (...args) => {
        if (this.ended) return this.context.undefined;
        const { code, fileName } = fn(...args);
        return this.evaluate(code, fileName) ?? this.context.undefined;
      });
    }
    define('done', (json) => {
      this.finish({ kind: 'returned', json: typeof json === 'string' ? json : undefined });
      return this.context.undefined;
    });
    define('fail', (json) => {
      this.finish({ kind: 'threw', error: parseThrown(json) });
      return this.context.undefined;
    });
    return host;
  }

  /** A QuickJS promise settled by a host promise; the queue is drained after each settlement. */
  private bridge(run: () => Promise<string>): QuickJSHandle {
    const deferred = this.context.newPromise();
    this.pending.add(deferred);
    // After the end nothing new starts: the promise simply never settles.
    if (this.ended) return deferred.handle;
    run().then(
      (value) => this.resolve(deferred, value),
      (error) => this.fatal(error),
    );
    return deferred.handle;
  }

  private resolve(deferred: QuickJSDeferredPromise, value: string): void {
    this.pending.delete(deferred);
    if (this.ended) {
      deferred.dispose();
      return;
    }
    try {
      this.fuse.enter();
      const handle = this.context.newString(value);
      deferred.resolve(handle);
      handle.dispose();
    } catch (error) {
      if (this.loaded.memoryExhausted()) this.finish({ kind: 'stalled' });
      else this.fatal(error);
      return;
    }
    this.drain();
  }

  private fromHandle(handle: QuickJSHandle): HostValue {
    switch (this.context.typeof(handle)) {
      case 'string':
        return this.context.getString(handle);
      case 'number':
        return this.context.getNumber(handle);
      case 'boolean':
        return this.context.dump(handle) as boolean;
      case 'undefined':
        return undefined;
      default:
        // Objects never cross: the prelude turns them into JSON first. A script that tampered
        // with the prelude's helpers gets null rather than a host-side toString() call.
        return null;
    }
  }

  private toHandle(value: HostValue): QuickJSHandle {
    if (typeof value === 'string') return this.context.newString(value);
    if (typeof value === 'number') return this.context.newNumber(value);
    if (typeof value === 'boolean') return value ? this.context.true : this.context.false;
    return value === null ? this.context.null : this.context.undefined;
  }
}

function parseThrown(json: HostValue): ThrownError {
  try {
    const parsed = JSON.parse(String(json)) as Partial<ThrownError>;
    return {
      name: typeof parsed.name === 'string' && parsed.name ? parsed.name : 'Error',
      message: typeof parsed.message === 'string' ? parsed.message : '',
      stack: typeof parsed.stack === 'string' ? parsed.stack : '',
    };
  } catch {
    return { name: 'Error', message: 'the script failed with an error that could not be read', stack: '' };
  }
}
