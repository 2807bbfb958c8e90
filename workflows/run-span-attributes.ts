// Workflow interceptors for `baton worker --otel`, bundled after Temporal's OpenTelemetry ones
// (workers/tracing.ts): the run's workflow span gets `workflow.run_id` and `workflow.name`, as
// Claude Code's workflow spans have. Sets span attributes only: no command, nothing to replay.
import { trace } from '@opentelemetry/api';
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { RunInput } from '../contract/run-types.js';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        // Temporal's interceptor runs first and makes this run's span the active one.
        const name = (input.args[0] as RunInput | undefined)?.script?.meta?.name;
        trace.getActiveSpan()?.setAttributes({ 'workflow.run_id': workflowInfo().workflowId, ...(name ? { 'workflow.name': name } : {}) });
        return next(input);
      },
    },
  ],
});
