// Agent spans carry `workflow.run_id` and `workflow.name`, as Claude Code's do.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { runSpanAttributes, taggedTracer } from '../../workers/span-attributes.js';

describe('runSpanAttributes', () => {
  it.each([
    ['review-changes-20261130-101500-ab12', { 'workflow.run_id': 'review-changes-20261130-101500-ab12', 'workflow.name': 'review-changes' }],
    ['dry-run-audit-20261130-101500-x9', { 'workflow.run_id': 'dry-run-audit-20261130-101500-x9', 'workflow.name': 'audit' }],
    ['nightly-audit-workflow-2026-11-30T02:00:00Z', { 'workflow.run_id': 'nightly-audit-workflow-2026-11-30T02:00:00Z' }],
  ])('%s', (workflowId, attributes) => {
    expect(runSpanAttributes({ workflowExecution: { workflowId, runId: 'r' } })).toEqual(attributes);
  });
});

describe('taggedTracer', () => {
  it('sets the attributes on every span started with startActiveSpan, and nothing else changes', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider();
    provider.addSpanProcessor(new SimpleSpanProcessor(exporter));
    const tracer = taggedTracer(provider.getTracer('t'), { 'workflow.run_id': 'run-1' });
    const value = await tracer.startActiveSpan('RunActivity:runAgent', async (span) => {
      span.end();
      return 42;
    });
    expect(value).toBe(42);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('RunActivity:runAgent');
    expect(span?.attributes).toEqual({ 'workflow.run_id': 'run-1' });
  });
});
