// `baton worker --otel`: OpenTelemetry tracing through Temporal's interceptors package. Activity
// spans (one per agent) come from the activity interceptors; workflow spans are made in the
// sandbox by the workflow interceptors and leave it through the package's `exporter` sink. Both
// go to one batch processor and the OTLP/HTTP exporter. Nothing here is loaded when tracing is off.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import { runSpanAttributes, taggedTracer } from './span-attributes.js';

export const TRACING_SERVICE_NAME = 'baton-worker';

/**
 * The workflow interceptor modules of the traced workflow bundle: the package's, then Baton's,
 * which tags the span the package's made (workflows/run-span-attributes.ts; from dist/ when built).
 */
export function tracingWorkflowInterceptorModules(): string[] {
  const compiled = fileURLToPath(new URL('../workflows/run-span-attributes.js', import.meta.url));
  const own = existsSync(compiled) ? compiled : compiled.replace(/\.js$/, '.ts');
  return [createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'), own];
}

export interface WorkerTracing {
  /** Activity interceptors plus the workflow interceptors module (used when the worker bundles). */
  interceptors: WorkerInterceptors;
  /** The workflow span exporter sink. */
  // The SDK's own type for the OpenTelemetry sinks is generic over sink maps it does not export.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  sinks: InjectedSinks<any>;
  /** Flushes pending spans; call once the worker has stopped. */
  shutdown(): Promise<void>;
}

/**
 * The OTLP/HTTP traces URL: `endpoint` if given (a bare origin gets `/v1/traces`), else the
 * exporter's own default from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT.
 */
function tracesUrl(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  const url = new URL(endpoint);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url.toString();
}

export function createWorkerTracing(options: { endpoint?: string | undefined } = {}): WorkerTracing {
  const url = tracesUrl(options.endpoint);
  const resource = new Resource({ 'service.name': TRACING_SERVICE_NAME });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter(url !== undefined ? { url } : {}));
  const provider = new BasicTracerProvider({ resource });
  provider.addSpanProcessor(spanProcessor);
  const tracer = provider.getTracer(TRACING_SERVICE_NAME);
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: taggedTracer(tracer, runSpanAttributes(ctx.info)) }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      workflowModules: tracingWorkflowInterceptorModules(),
    },
    sinks: { exporter: makeWorkflowExporter(spanProcessor, resource) },
    shutdown: () => provider.shutdown(),
  };
}
