// Agent spans carry the run they belong to, as Claude Code's workflow spans do:
// `workflow.run_id` (the workflow id every `baton` command takes) and `workflow.name` (the
// script's meta.name), so a trace backend groups a run's agents and filters by workflow.
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import type { Info } from '@temporalio/activity';

// Baton's workflow ids are `<name>-<YYYYMMDD>-<HHMMSS>-<suffix>` (client/run-id.ts; dry runs
// prefixed): the worker knows no other place the name is written.
const RUN_ID_PATTERN = /^(?:dry-run-)?([a-z0-9][a-z0-9-]*?)-\d{8}-\d{6}-[a-z0-9]{1,4}$/;

export function runSpanAttributes(info: Pick<Info, 'workflowExecution'>): Attributes {
  const workflowId = info.workflowExecution?.workflowId;
  if (workflowId === undefined) return {};
  const name = RUN_ID_PATTERN.exec(workflowId)?.[1];
  return { 'workflow.run_id': workflowId, ...(name !== undefined ? { 'workflow.name': name } : {}) };
}

/**
 * `tracer`, but every span it starts with startActiveSpan gets `attributes` first: Temporal's
 * activity interceptor makes the agent's span that way, and no context manager is registered
 * through which another interceptor could reach it.
 */
export function taggedTracer(tracer: Tracer, attributes: Attributes): Tracer {
  return new Proxy(tracer, {
    get(target, property, receiver) {
      if (property !== 'startActiveSpan') return Reflect.get(target, property, receiver);
      return (...args: unknown[]) => {
        const fn = args.at(-1) as (span: Span) => unknown;
        return (target.startActiveSpan as (...a: unknown[]) => unknown)(...args.slice(0, -1), (span: Span) => {
          span.setAttributes(attributes);
          return fn(span);
        });
      };
    },
  });
}
