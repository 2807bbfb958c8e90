// Shared set-up of the interpreter's integration tests: the real dev server (from the global
// setup), a worker on its own task queue with the workflow bundle built once per test file,
// the real agent activity, and the test model server as the only stand-in.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { RepoCache } from '../../activities/repo-cache.js';
import { assertCompiled, compileScript } from '../../compiler/index.js';
import type { ResumeFrom } from '../../contract/call-journal.js';
import { defaultModelTable } from '../../contract/models.js';
import { INTERPRETER_WORKFLOW_TYPE, type CompiledScript, type RunInput, type RunOptions, type RunReport } from '../../contract/run-types.js';
import { batonDataConverter } from '../../storage/data-converter.js';
import { LocalBlobStore } from '../../storage/local-blob-store.js';
import { LocalCheckpointSlots } from '../../storage/checkpoint-slots.js';
import { createBatonWorker, workflowBundlerOptions, workflowsPath, type BatonWorker } from '../../workers/create-worker.js';
import { badRequest, echoResponder, firstUserText, reply, startModelServer, toolUse, type ModelServer, type Responder } from '../model-server/index.js';
import { tempDir } from '../harness/temp-dir.js';

const GENERATED_WASM = fileURLToPath(new URL('../../workflows/quickjs/quickjs-wasm.generated.ts', import.meta.url));
const EMBED_SCRIPT = fileURLToPath(new URL('../../scripts/embed-quickjs-wasm.mjs', import.meta.url));

export type WorkflowBundle = { code: string };

/** The bundle every test file builds once (the generated QuickJS module first, if missing). */
export async function bundleInterpreter(): Promise<WorkflowBundle> {
  if (!existsSync(GENERATED_WASM)) execFileSync(process.execPath, [EMBED_SCRIPT], { stdio: 'ignore' });
  return bundleWorkflowCode({ workflowsPath: workflowsPath(), ...workflowBundlerOptions() });
}

export interface Harness {
  client: Client;
  blobStore: LocalBlobStore;
  taskQueue: string;
  modelServer: ModelServer;
  bundle: WorkflowBundle;
  /** Compiles `source` (or takes a CompiledScript) and starts it. */
  start(script: string | CompiledScript, options?: RunOverrides): Promise<WorkflowHandle>;
  /** Starts and waits: the report of a completed run. */
  run(script: string | CompiledScript, options?: RunOverrides): Promise<RunReport>;
  /** Starts and waits for a failed run: its ApplicationFailure and the report it carries. */
  fail(script: string | CompiledScript, options?: RunOverrides): Promise<{ failure: ApplicationFailure; report: RunReport }>;
  close(): Promise<void>;
}

export interface RunOverrides extends Partial<RunOptions> {
  args?: unknown;
  workflowId?: string;
  /** An earlier run's journal to reuse, as `baton run --resume-from` passes it. */
  resume?: ResumeFrom;
}

export async function startHarness(options: { bundle: WorkflowBundle; responder?: Responder; repos?: RepoCache }): Promise<Harness> {
  const address = inject('temporalAddress');
  const modelServer = await startModelServer({ responder: options.responder });
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  // As in production: big payloads go to a blob store shared by the client and the worker.
  const blobStore = new LocalBlobStore(tempDir('baton-blobs-'));
  const dataConverter = batonDataConverter(blobStore);
  const client = new Client({ connection, namespace: 'default', dataConverter });
  const taskQueue = `interpreter-${randomUUID()}`;
  const worker: BatonWorker = await createBatonWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: createActivities({
      anthropic: { apiKey: 'test-key', baseURL: modelServer.url, maxRetries: 0 },
      // Each run lists the provider's models afresh, so a test may change the list between runs.
      modelListingFreshMs: 0,
      blobStore,
      checkpointSlots: new LocalCheckpointSlots(tempDir('baton-checkpoints-')),
      repos: options.repos ?? new RepoCache(tempDir('baton-repos-')),
    }),
    workflowBundle: { codePath: writeBundle(options.bundle) },
    dataConverter,
  });
  const running = worker.run();

  const start = async (script: string | CompiledScript, overrides: RunOverrides = {}) => {
    const compiled = typeof script === 'string' ? await compile(script) : script;
    const { args, workflowId, resume, ...runOptions } = overrides;
    const input: RunInput = { script: compiled, options: { ...defaultRunOptions(), ...runOptions } };
    if (args !== undefined) input.args = args;
    if (resume !== undefined) input.resume = resume;
    return client.workflow.start(INTERPRETER_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: workflowId ?? `${compiled.meta.name}-${randomUUID()}`,
      args: [input],
    });
  };

  return {
    client,
    blobStore,
    taskQueue,
    modelServer,
    bundle: options.bundle,
    start,
    run: async (script, overrides) => (await (await start(script, overrides)).result()) as RunReport,
    fail: async (script, overrides) => {
      const handle = await start(script, overrides);
      try {
        await handle.result();
      } catch (error) {
        if (error instanceof WorkflowFailedError && error.cause instanceof ApplicationFailure) {
          return { failure: error.cause, report: error.cause.details?.[0] as RunReport };
        }
        throw error;
      }
      throw new Error('expected the run to fail, but it completed');
    },
    close: async () => {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await modelServer.close();
    },
  };
}

export function defaultRunOptions(): RunOptions {
  return {
    concurrency: 16,
    maxAgents: 1000,
    model: 'sonnet',
    modelTable: defaultModelTable(),
    budgetTokens: null,
    maxCostUsd: null,
    workspace: process.cwd(),
    allow: [],
  };
}

/** A script file's text with the required meta, the body indented under it. */
export function script(body: string, meta: Record<string, unknown> = {}): string {
  const full = { name: 'interpreter-test', description: 'an interpreter integration test', ...meta };
  return `export const meta = ${JSON.stringify(full)}\n${body}\n`;
}

export async function compile(source: string, fileName = 'test-script.js'): Promise<CompiledScript> {
  return assertCompiled(await compileScript(fileName, source));
}

/** A CompiledScript written by hand, for programs the compiler would (rightly) refuse. */
export function rawProgram(body: string): CompiledScript {
  const program = `(async function () {\n${body}\n})`;
  const lines = program.split('\n').length;
  return {
    fileName: 'raw-program.js',
    meta: { name: 'raw-program', description: 'hand-built program' },
    program,
    lineMap: [null, ...Array.from({ length: lines }, (_, i) => [i, 1] as [number, number])],
  };
}

/**
 * Another worker on `taskQueue`, sharing the harness's blob store and model server, for tests that
 * stop one worker and start another. `checkpointDir`: the checkpoint slots, shared between workers
 * as a fleet's object store is (default: this worker's own).
 */
/** Another worker on `taskQueue`, as on another machine but for the blob store and `checkpointDir` (the fleet's object store); `repos`: its own repository cache. */
export async function startExtraWorker(
  h: Harness,
  taskQueue: string,
  checkpointDir = tempDir('baton-checkpoints-'),
  repos?: RepoCache,
): Promise<{ stop(): Promise<void> }> {
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker: BatonWorker = await createBatonWorker({
    connection,
    namespace: 'default',
    taskQueue,
    activities: createActivities({
      anthropic: { apiKey: 'test-key', baseURL: h.modelServer.url, maxRetries: 0 },
      modelListingFreshMs: 0,
      blobStore: h.blobStore,
      checkpointSlots: new LocalCheckpointSlots(checkpointDir),
      ...(repos ? { repos } : {}),
    }),
    workflowBundle: { codePath: writeBundle(h.bundle) },
    dataConverter: batonDataConverter(h.blobStore),
  });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

// Worker.create takes a bundle by path or by code; by path keeps every worker on one file.
function writeBundle(bundle: WorkflowBundle): string {
  const path = join(tempDir('baton-bundle-'), 'bundle.js');
  writeFileSync(path, bundle.code);
  return path;
}

/**
 * The tests' model: echoes the prompt (or fakes schema-shaped output, as the default responder
 * does), after `[delay=MS]` milliseconds when the prompt says so; `[fail]` gets a 400 (a
 * terminal agent failure), `[invalid]` answers every StructuredOutput with input no schema
 * requiring a field accepts. Every start and end is recorded, to check timing from outside.
 */
export function directiveResponder(events: string[] = []): Responder {
  return async (request, ctx) => {
    const prompt = firstUserText(request);
    events.push(`start ${prompt}`);
    const delay = Number(/\[delay=(\d+)\]/.exec(prompt)?.[1] ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    events.push(`end ${prompt}`);
    if (prompt.includes('[fail]')) return badRequest('this test agent was told to fail');
    if (prompt.includes('[invalid]') && request.tools?.some((t) => t.name === 'StructuredOutput')) {
      return reply(toolUse('StructuredOutput', { unasked: true }));
    }
    return echoResponder(request, ctx);
  };
}
