// The failures a user meets in ordinary use (an unknown run, a server that is not up, a query no
// worker answers), each as one or two lines saying what to do next, with its exit code (docs/cli.md#runs-exit-codes-and-errors).
// Anything else is a bug: one line, and its stack only with BATON_DEBUG=1.
// Temporal's own errors are recognised by name, not class: this module loads with every command,
// and importing the Temporal client here would undo the CLI's lazy loading (cli/command-table.ts).
// Baton's own are UserErrors already (contract/user-error.ts).
import { EXIT, UserError } from '../contract/user-error.js';

/** gRPC status codes worth naming (grpc/status.proto). */
const GRPC = { deadlineExceeded: 4, notFound: 5, permissionDenied: 7, unavailable: 14, unauthenticated: 16 } as const;

/** A Temporal error a user meets in ordinary use, as the UserError that says what to do; else null. */
export function routineError(error: unknown): UserError | null {
  const name = error instanceof Error ? error.name : '';
  if (name === 'WorkflowNotFoundError') {
    const id = (error as { workflowId?: string }).workflowId ?? '';
    return new UserError(`no run with id ${id} on this server. 'baton ls' lists recent runs.`, EXIT.otherEnd);
  }
  if (name === 'NamespaceNotFoundError') {
    const namespace = (error as { namespace?: string }).namespace ?? '';
    return new UserError(`the Temporal namespace ${namespace} does not exist; set TEMPORAL_NAMESPACE to one that does.`, EXIT.usage);
  }
  const code = grpcCode(error);
  if (code === GRPC.unavailable) {
    return new UserError("lost the connection to Temporal. Is the server still up? ('baton up' starts the local one.)", EXIT.otherEnd);
  }
  if (code === GRPC.deadlineExceeded && /query/i.test(messageOf(error))) {
    return new UserError("no worker answered the run's query in time. Start one with 'baton worker' (or 'baton up'), then try again.", EXIT.otherEnd);
  }
  // The connection counts as made once its channel is ready (client/connection.ts), so credentials
  // a server refuses surface at the command's first call.
  if (code === GRPC.unauthenticated || code === GRPC.permissionDenied) {
    return new UserError(
      `Temporal refused this client: ${firstLine(messageOf(error))}. Check TEMPORAL_API_KEY, the TLS settings or the profile (docs/configuration.md).`,
      EXIT.usage,
    );
  }
  if (code === GRPC.notFound) return new UserError(`not found: ${firstLine(messageOf(error))}. 'baton ls' lists recent runs.`, EXIT.otherEnd);
  return null;
}

/** How an unexpected error is shown: one line and where the stack is; the stack itself with BATON_DEBUG=1. */
export function unexpectedError(error: unknown, debug: boolean): string {
  if (debug) return error instanceof Error ? `baton: ${error.stack ?? error.message}` : `baton: ${String(error)}`;
  return `baton: unexpected error: ${firstLine(messageOf(error))}\n(run again with BATON_DEBUG=1 to see where; please report it with that output)`;
}

function grpcCode(error: unknown): number | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
