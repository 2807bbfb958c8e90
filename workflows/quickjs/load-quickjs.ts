// Loads QuickJS (compiled to WebAssembly) inside Temporal's workflow sandbox.
// quickjs-emscripten's own loaders call WebAssembly.instantiate(), which never resolves inside a
// workflow activation, so the module is compiled and instantiated synchronously here (see
// /work/shared/notes/temporal-sandbox-facts.md).
import { QuickJSWASMModule } from 'quickjs-emscripten-core';
import { QuickJSFFI } from '@jitl/quickjs-wasmfile-release-sync/ffi';
import * as emscriptenModule from '@jitl/quickjs-wasmfile-release-sync/emscripten-module';
import { QUICKJS_WASM_BASE64 } from './quickjs-wasm.generated.js';
import { decodeBase64 } from './base64.js';

// The project's lib settings carry no WebAssembly values; these are the few members used.
interface WasmMemory {
  grow(pages: number): number;
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: unknown) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type Loader = (options: Record<string, unknown>) => Promise<{ type: string }>;
// The package's typings describe a CommonJS module; bundled or loaded as ESM its default export is
// the loader itself.
const moduleLoader: Loader = ((emscriptenModule as { default?: unknown }).default ?? emscriptenModule) as Loader;

const WASM_PAGE_BYTES = 65_536;
// What the release build asks for at start-up (its own default INITIAL_MEMORY).
const INITIAL_MEMORY_BYTES = 16 * 1024 * 1024;

// Compiling the ~500 KB module is done once per module cache: Temporal's reusable V8 context
// gives each workflow run its own module cache, so in practice once per run and replay
// (measured: ~3 ms to decode and compile, ~3 ms to instantiate). A compiled module holds no run
// state, so this cache can never leak between runs or affect replay.
let compiled: object | undefined;

function compiledModule(): object {
  compiled ??= new wasm.Module(decodeBase64(QUICKJS_WASM_BASE64));
  return compiled;
}

export interface LoadedQuickJS {
  quickjs: QuickJSWASMModule;
  /** True once the wasm heap hit its cap: QuickJS then reports (or half-reports) out of memory. */
  memoryExhausted(): boolean;
  /** `count` int32 words of the wasm heap at `address`, as a live view. */
  heapWords(address: number, count: number): Int32Array;
}

/**
 * A fresh QuickJS instance, with its own wasm memory capped at `maxMemoryBytes`, for one run.
 *
 * The cap is the real memory fuse: in this build QuickJS's own setMemoryLimit only bounds a
 * single allocation (emscripten has no malloc_usable_size, so QuickJS counts 8 bytes per block;
 * quickjs-emscripten issues #255, #271). Growing a memory past its maximum fails, emscripten's
 * sbrk then returns NULL and QuickJS throws "out of memory".
 *
 * Per run rather than per worker so that a run evicted from the worker cache, whose runtime is
 * never disposed, leaves nothing behind once garbage-collected.
 */
export async function loadQuickJS(maxMemoryBytes: number): Promise<LoadedQuickJS> {
  const module = compiledModule();
  let exhausted = false;
  const memory = new wasm.Memory({
    initial: INITIAL_MEMORY_BYTES / WASM_PAGE_BYTES,
    maximum: Math.max(INITIAL_MEMORY_BYTES, maxMemoryBytes) / WASM_PAGE_BYTES,
  });
  const grow = memory.grow.bind(memory);
  // An own property, because the sandbox freezes WebAssembly.Memory.prototype.
  Object.defineProperty(memory, 'grow', {
    value: (pages: number) => {
      try {
        return grow(pages);
      } catch (error) {
        exhausted = true;
        throw error;
      }
    },
  });
  const emscripten = await moduleLoader({
    wasmMemory: memory,
    instantiateWasm(imports: unknown, done: (instance: object, module: object) => void) {
      const instance = new wasm.Instance(module, imports);
      done(instance, module);
      return instance.exports;
    },
  });
  emscripten.type = 'sync';
  // The constructor is documented as private; this is what newQuickJSWASMModuleFromVariant does.
  const Ctor = QuickJSWASMModule as unknown as new (module: unknown, ffi: unknown) => QuickJSWASMModule;
  const ffi = new QuickJSFFI(emscripten as ConstructorParameters<typeof QuickJSFFI>[0]);
  // A growing memory replaces its buffer, so a view is cached per buffer.
  let view: { buffer: ArrayBuffer; address: number; words: Int32Array } | null = null;
  const heapWords = (address: number, count: number): Int32Array => {
    if (view?.buffer !== memory.buffer || view.address !== address || view.words.length !== count) {
      view = { buffer: memory.buffer, address, words: new Int32Array(memory.buffer, address, count) };
    }
    return view.words;
  };
  return { quickjs: new Ctor(emscripten, ffi), memoryExhausted: () => exhausted, heapWords };
}
