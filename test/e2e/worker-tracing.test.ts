// `baton worker --otel` exports OpenTelemetry traces over OTLP/HTTP: a stand-in collector
// receives the worker's workflow and agent (runAgent activity) spans.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { reply, startModelServer, text, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

interface Export {
  contentType: string;
  bytes: number;
  spanNames: string[];
  /** Each span's string attributes, by span name. */
  attributes: Array<{ name: string; attributes: Record<string, string> }>;
}

let collector: Server;
const exports: Export[] = [];
let modelServer: ModelServer;
let worker: WorkerProcess | undefined;

type OtlpSpan = { name: string; attributes?: Array<{ key: string; value: { stringValue?: string } }> };

/** Spans with their string attributes, in an OTLP/JSON ExportTraceServiceRequest. */
function spanAttributes(body: unknown): Export['attributes'] {
  const request = body as { resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[] };
  return (request.resourceSpans ?? []).flatMap((r) =>
    (r.scopeSpans ?? []).flatMap((s) =>
      (s.spans ?? []).map((span) => ({
        name: span.name,
        attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? ''])),
      })),
    ),
  );
}

/** Span names in an OTLP/JSON ExportTraceServiceRequest. */
function spanNames(body: unknown): string[] {
  const request = body as { resourceSpans?: { scopeSpans?: { spans?: { name: string }[] }[] }[] };
  return (request.resourceSpans ?? []).flatMap((r) => (r.scopeSpans ?? []).flatMap((s) => (s.spans ?? []).map((span) => span.name)));
}

beforeAll(async () => {
  // The worker runs from dist/ and the prebuilt traced workflow bundle. Built only when missing:
  // scripts/test.sh has built it, and rebuilding dist/ here would pull it from under the tests
  // running beside this one ("baton: not built yet").
  if (!existsSync(join(projectRoot, 'dist', 'workflows', 'bundle-traced.js'))) execFileSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'ignore' });
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = req.headers['content-type'] ?? '';
      if (req.method === 'POST' && req.url === '/v1/traces') {
        let names: string[] = [];
        let attributes: Export['attributes'] = [];
        if (contentType.includes('json')) {
          names = spanNames(JSON.parse(body.toString('utf8')));
          attributes = spanAttributes(JSON.parse(body.toString('utf8')));
        }
        exports.push({ contentType, bytes: body.length, spanNames: names, attributes });
      }
      res.writeHead(200, { 'content-type': contentType.includes('json') ? 'application/json' : 'application/x-protobuf' });
      res.end(contentType.includes('json') ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  modelServer = await startModelServer({ responder: () => reply(text('traced hello')) });
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
  await new Promise<void>((resolve) => (collector ? collector.close(() => resolve()) : resolve()));
});

it('exports workflow and agent spans to the OTLP/HTTP endpoint', { timeout: 180_000 }, async () => {
  const address = collector.address();
  if (typeof address !== 'object' || !address) throw new Error('collector has no port');
  const env = cliEnv(inject('temporalAddress'), {
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: modelServer.url,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${address.port}/v1/traces`,
  });
  worker = await startWorkerProcess(env, ['--otel']);
  expect(worker.output()).toContain('OpenTelemetry traces on');

  const script = join(tempDir('baton-otel-'), 'one-agent.js');
  writeFileSync(script, `export const meta = { name: 'one-agent', description: 'one agent, traced' }\n\nawait agent('say hello')\n`);
  const run = await runCli(['run', script, '--yes', '--json'], { env });
  expect(run.code, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ status: 'completed', agents: { total: 1, succeeded: 1 } });

  // The batch processor exports every few seconds; stopping the worker flushes what is left.
  const hasAgentSpan = () => exports.some((e) => e.spanNames.some((name) => name.includes('runAgent')));
  for (let i = 0; i < 40 && !hasAgentSpan(); i++) await new Promise((r) => setTimeout(r, 250));
  if (!hasAgentSpan()) await worker.stop();

  expect(exports.length, worker.output()).toBeGreaterThan(0);
  expect(exports.reduce((n, e) => n + e.bytes, 0)).toBeGreaterThan(0);
  const json = exports.filter((e) => e.contentType.includes('json'));
  if (json.length > 0) {
    const names = json.flatMap((e) => e.spanNames);
    expect(
      names.some((name) => name.includes('runAgent')),
      names.join(', '),
    ).toBe(true);
    expect(
      names.some((name) => name.includes('batonRun')),
      names.join(', '),
    ).toBe(true);
    // As Claude Code's spans do: the run's id and its workflow's name.
    const tags = { 'workflow.run_id': JSON.parse(run.stdout).workflowId, 'workflow.name': 'one-agent' };
    const spans = json.flatMap((e) => e.attributes);
    expect(spans.find((span) => span.name.includes('runAgent'))?.attributes).toMatchObject(tags);
    expect(spans.find((span) => span.name === 'RunWorkflow:batonRun')?.attributes, spans.map((span) => span.name).join(', ')).toMatchObject(tags);
  }
});
